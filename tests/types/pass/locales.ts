// The languages API as a console and a script use it: a pack imported for its effect and as
// its texts, messages() keyed by the decision's reasonId, setLocale/getLocale.
import { classify, getLocale, messages, registerLocale, RetryPolicy, setLocale, type LocaleTag, type ReasonId } from "backup-errors";
import de from "backup-errors/locales/de";
import "backup-errors/locales/zh-CN";

const texts: Record<ReasonId, string> = messages("de");
const d = new RetryPolicy().decide(classify({ status: 503 }), { attempt: 1 });
const text: string = texts[d.reasonId];
const fromPack: string | undefined = de["rule.ok"];
setLocale("zh-CN");
const now: LocaleTag = getLocale();
registerLocale("es", { "rule.409-never": "409-never: nunca." });
console.log(text, fromPack, now);
