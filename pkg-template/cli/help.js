// The help texts of `backup-errors` and each of its commands.
import { PROG } from "./errors.js";

/** `help` and `--help` print these: `top`, then one per command. */
export const HELP = {
  top: `${PROG} — what a failed backup-management API call means and what to do next
(Atlassian, Veeam Service Provider Console, Huawei Cloud CSBS/CBR,
Microsoft 365 Backup Storage via Microsoft Graph, Acronis Cyber Protect Cloud).

Usage:
  ${PROG} explain <vendor> <code> [--status N] [--json] [--vendors FILE]
  ${PROG} classify [file|-] [--vendor V] [--method M] [--idempotent] [--json]
                         [--policy ...] [--vendors FILE]
  ${PROG} catalog [vendor] [--json] [--vendors FILE]
  ${PROG} help [command]
  ${PROG} --help | --version

Commands:
  explain    the documented meaning of one vendor error code
  classify   read a raw HTTP response (curl -si output) and say what it means
  catalog    every documented code, one tab-separated line per code

Vendors: atlassian, veeam, huawei, microsoft365, acronis, generic, and your own:
--vendors FILE registers the definitions in FILE first (a JSON array of
registerVendor() definitions, or one), for every command.

Exit codes: 0 success, 1 usage error (a bad definition in the --vendors file
included), 2 unreadable input (a --vendors file that cannot be read or is not
JSON included), 3 code not documented (explain); classify also returns 10-13 by
outcome, see '${PROG} classify --help'.

Colour is used only when stdout is a terminal; NO_COLOR=<anything> turns it off,
FORCE_COLOR=1 turns it on (FORCE_COLOR=0 off). NO_COLOR wins over FORCE_COLOR.
`,
  explain: `Usage: ${PROG} explain <vendor> <code> [--status N] [--json]

Prints the documented meaning of <code> for <vendor>: category, action, summary
and remediation. Some vendors document one code under several HTTP statuses;
--status picks that row.

Options:
  --status N   prefer the catalog row documented with HTTP status N
  --json       print the CatalogEntry object as JSON
  --vendors FILE  register the vendor definitions in FILE first (a JSON
               array of registerVendor() definitions, or one object)
  -h, --help   this help

Examples:
  ${PROG} explain atlassian 127
  ${PROG} explain huawei CSBS.9009 --status 400
  ${PROG} explain acronis 1001 --json

Exit codes: 0 documented, 3 the vendor documents no such code, 1 usage error
(unknown vendor, bad option, a bad definition in the --vendors file), 2 the
--vendors file cannot be read or is not JSON.
`,
  classify: `Usage: ${PROG} classify [file|-] [options]

Reads one HTTP response as 'curl -si' prints it (status line, headers, blank
line, body) from <file>, or from stdin when the file is '-' or omitted, and says
what it means and what to do. HTTP/1.x and HTTP/2 status lines, CRLF or LF line
ends. When the input holds several header blocks (curl -L followed a redirect,
a '100 Continue' or a proxy's '200 Connection established' came first), the
last response is classified.

  curl -si https://api.example.com/... | ${PROG} classify
  ${PROG} classify response.http --vendor veeam --json

Options:
  --vendor V     the API the response came from: atlassian, veeam, huawei,
                 microsoft365, acronis, generic, one of --vendors, or auto
                 (default: detected)
  --method M     the request's HTTP method (GET, POST, ...). In a retry
                 schedule a method other than GET, HEAD, OPTIONS, PUT, DELETE
                 and TRACE (POST, PATCH, ...) is not idempotent: it is sent
                 again only when the response shows the server did not process
                 it (processed: no, e.g. a 429), when a vendor preset documents
                 the retry, when it is marked --idempotent, or with
                 --non-idempotent retry; after a proxy's 502 it stops
                 (non-idempotent).
                 Without --method the method is unknown and the status alone
                 decides.
  --idempotent   the request is safe to send twice (it carries an
                 Idempotency-Key header, or sending it again cannot do the
                 work twice): the non-idempotent rule does not stop it.
                 It only changes the retry schedule, so it implies --policy.
  --json         print the Classification object as JSON; with a policy,
                 print {"classification": ..., "schedule": [RetryDecision, ...]}
  --vendors FILE register the vendor definitions in FILE first (a JSON array
                 of registerVendor() definitions, or one object): their
                 vendors are detected and can be named with --vendor
  --lang TAG     the language of the retry schedule's reasons: en, de, fr, ja
                 or zh-CN (default: from LC_ALL, LC_MESSAGES or LANG when a
                 pack exists for it, else en)
  -h, --help     this help

The output says whether the server processed the request, as far as the
response tells (processed: no, maybe or yes), and for each failed item of a
2xx its own status, retryable and server wait where the response gives them.

Retry schedule: --policy prints the decisions a RetryPolicy makes on each
attempt if every attempt ended like this response, until it stops, for a
request with --method (and --idempotent); its header line names the method, or
says 'method unknown'. Each line ends with the rule that decided (5xx-backoff,
server-wait, non-idempotent, max-attempts, ...). Each option below sets the
RetryOptions field of the same name (kebab-case of camelCase) and implies
--policy; unset fields keep the policy's defaults and vendor presets.
  --policy                     print the schedule of the default policy
  --max-attempts N             maxAttempts: total attempts, 1-100
  --base-delay-ms N            baseDelayMs: first backoff delay
  --max-delay-ms N             maxDelayMs: cap per delay
  --multiplier X               multiplier: growth per attempt
  --jitter MODE                jitter: full, equal, decorrelated or none
  --seed N                     seed: same seed, same delays
  --max-retry-after-ms N       maxRetryAfterMs: longest server wait obeyed
  --deadline-ms N              deadlineMs: overall deadline
  --trust-vendor-codes BOOL    trustVendorCodes: true or false
  --non-idempotent MODE        nonIdempotent: safe-only (default) or retry
                               (re-send a non-idempotent request anyway)
  --busy-max-attempts N        busy.maxAttempts  (the wait_and_retry schedule)
  --busy-base-delay-ms N       busy.baseDelayMs
  --busy-max-delay-ms N        busy.maxDelayMs
  --busy-multiplier X          busy.multiplier

  ${PROG} classify r.http --max-attempts 5 --base-delay-ms 500 --jitter none
  ${PROG} classify r.http --method POST --policy
  ${PROG} classify r.http --method POST --idempotent

Exit codes:
   0  success: a 2xx response
  10  retryable: action retry or wait_and_retry (the response's meaning; a
      retry schedule may still stop a non-idempotent request)
  11  fix credentials or state, then retry: action reauthenticate or
      refresh_and_retry
  12  not retryable: action fix_request, split_request or do_not_retry
  13  a 2xx response that reports per-item errors
   1  usage error (bad option, unknown vendor, a bad definition in the
      --vendors file)
   2  unreadable input (missing file, empty, no HTTP status line, only an
      interim 1xx response; a --vendors file that cannot be read or is not
      JSON)
`,
  catalog: `Usage: ${PROG} catalog [vendor] [--json]

Prints every documented code (of one vendor, or of all), one line per code,
tab-separated, for grep and cut:

  vendor <TAB> status (or -) <TAB> code <TAB> category <TAB> action <TAB> summary

Options:
  --json       print the array of CatalogEntry objects as JSON
  --vendors FILE  register the vendor definitions in FILE first (a JSON
               array of registerVendor() definitions, or one object)
  -h, --help   this help

Examples:
  ${PROG} catalog huawei | grep -i throttl
  ${PROG} catalog | cut -f1,4 | sort | uniq -c

Exit codes: 0 success, 1 usage error (unknown vendor, bad option, a bad
definition in the --vendors file), 2 the --vendors file cannot be read or is
not JSON.
`,
};

