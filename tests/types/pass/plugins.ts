// The client plug-ins' types, used the way a console (axios, ky) or a Node script (got) would.
import axios from "axios";
import ky from "ky";
import got from "got";
import { attach, type AxiosRetryOptions } from "backup-errors/axios";
import { kyRetry, type KyRetryOptions } from "backup-errors/ky";
import { gotRetry, type GotRetryOptions } from "backup-errors/got";
import { RetryBudget, type RetryInfo } from "backup-errors";

const budget = new RetryBudget();
const controller = new AbortController();

const axiosOptions: AxiosRetryOptions = {
  vendor: "veeam",
  budget,
  signal: controller.signal,
  maxAttempts: 5,
  busy: { baseDelayMs: 10, maxDelayMs: 20 },
  reauthenticate: async () => ({ Authorization: "Bearer new" }),
  onRetry: (info: RetryInfo) => console.log(info.attempt, info.decision.delayMs),
  onGiveUp: ({ decision }) => console.log(decision.reason),
  shouldRetry: ({ classification }) => (classification.category === "busy" ? true : undefined),
};
const instance = axios.create({ baseURL: "https://vspc.example/api/v3" });
const detach: () => void = attach(instance, axiosOptions);
attach(axios);
detach();

const kyOptions: KyRetryOptions = { budget, idempotent: false, shouldRetry: async () => undefined };
const api = ky.extend(kyRetry(kyOptions));
const api2 = ky.create({ ...kyRetry(), prefixUrl: "https://bitbucket.example/" });
const { retry, hooks } = kyRetry({ seed: 1 });

const gotOptions: GotRetryOptions = { vendor: "huawei", nonIdempotent: "safe-only", onRetry: (info) => void info.classification.retryAfterMs };
const client = got.extend(gotRetry(gotOptions));
const client2 = got.extend(gotRetry(), { prefixUrl: "https://cbr.example/" });

async function main(): Promise<void> {
  const jobs: unknown = await instance.get("/jobs").then((r) => r.data);
  const text: string = await api.get("https://x.example/jobs").text();
  const body: string = (await client("https://cbr.example/v3/backups")).body;
  void [jobs, text, body, api2, client2, retry, hooks];
}
void main;
