// COMM-02 for iOS apps: App Transport Security (ATS) makes every URLSession connection HTTPS with
// TLS 1.2 or later unless Info.plist weakens it. Fails when ATS is switched off
// (NSAllowsArbitraryLoads, as iOS applies it), when it permits plain HTTP for web content, media,
// local-network hosts or named domains, when a domain may use TLS below 1.2, or when the app holds
// plain-HTTP endpoints; passes when ATS is in force with none of these.
import { APP, type AppEndpointData, type IosBundleData } from "../evidence/app.js";
import { finding, type Check, type CheckMeta } from "./types.js";

const meta: CheckMeta = {
  id: "app.ats-exceptions",
  title: "iOS companion app keeps App Transport Security in force",
  description:
    "Reads the iOS app's NSAppTransportSecurity (Info.plist) and the plain-HTTP URLs in its executable and resources. Fails when ATS is switched off (NSAllowsArbitraryLoads, unless iOS 10+ ignores it), permits plain HTTP for web content, media, the local network or listed domains (NSExceptionAllowsInsecureHTTPLoads), lowers a domain's minimum TLS version below 1.2, or when http:// endpoints are present; passes otherwise.",
  requirements: ["COMM-02"],
  severity: "high",
  reads: [APP.iosBundle, APP.endpoint],
  remediation:
    "Remove NSAllowsArbitraryLoads and the insecure-HTTP exceptions from NSAppTransportSecurity, serve every host over HTTPS with TLS 1.2 or later, and talk to devices on the local network over TLS (or an authenticated, encrypted channel of your own).",
};

const OLD_TLS = new Set(["tlsv1.0", "tlsv1.1", "sslv3"]);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export const appAtsExceptions: Check = {
  meta,
  evaluate(evidence) {
    const endpoints = evidence.ofKind<AppEndpointData>(APP.endpoint);
    return evidence.ofKind<IosBundleData>(APP.iosBundle).map((b) => {
      const ats = b.data.ats;
      const urls = endpoints.filter((e) => e.source.artifact?.sha256 === b.source.artifact?.sha256);
      const reasons: string[] = [];
      if (ats.arbitraryLoadsEffective)
        reasons.push("NSAllowsArbitraryLoads switches App Transport Security off");
      if (ats.allowsArbitraryLoadsInWebContent)
        reasons.push("NSAllowsArbitraryLoadsInWebContent permits plain HTTP in web views");
      if (ats.allowsArbitraryLoadsForMedia)
        reasons.push("NSAllowsArbitraryLoadsForMedia permits plain HTTP for media");
      if (ats.allowsLocalNetworking)
        reasons.push("NSAllowsLocalNetworking permits plain HTTP to hosts on the local network");
      const name = (d: IosBundleData["ats"]["exceptionDomains"][number]) =>
        d.includesSubdomains ? `${d.domain} and its subdomains` : d.domain;
      const insecure = ats.exceptionDomains.filter((d) => d.allowsInsecureHTTPLoads);
      if (insecure.length)
        reasons.push(
          `NSExceptionAllowsInsecureHTTPLoads permits plain HTTP for ${insecure.map(name).join(", ")}`,
        );
      for (const d of ats.exceptionDomains)
        if (d.minimumTLSVersion && OLD_TLS.has(d.minimumTLSVersion.toLowerCase()))
          reasons.push(`NSExceptionMinimumTLSVersion lets ${name(d)} use ${d.minimumTLSVersion}`);
      if (urls.length)
        reasons.push(
          `it holds ${plural(urls.length, "plain-HTTP endpoint")} (${urls
            .slice(0, 3)
            .map((u) => u.data.url)
            .join(", ")}${urls.length > 3 ? ", ..." : ""})`,
        );
      const app = b.data.bundleId || b.data.path;
      const ids = [b.id, ...urls.map((u) => u.id)];
      if (reasons.length)
        return finding(
          meta,
          "fail",
          `The iOS app ${app} can send data in clear text: ${reasons.join("; ")}.`,
          ids,
        );
      const ignored = ats.allowsArbitraryLoads
        ? " (it declares NSAllowsArbitraryLoads, which iOS 10 and later ignore next to the finer ATS keys)"
        : "";
      const unread = b.data.encrypted
        ? "; its executable is encrypted, so only its resources were searched"
        : "";
      return finding(
        meta,
        "pass",
        `The iOS app ${app} keeps App Transport Security in force with no cleartext exceptions${ignored} and holds no plain-HTTP endpoints${unread}.`,
        ids,
      );
    });
  },
};
