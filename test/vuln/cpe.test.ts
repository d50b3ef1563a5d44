import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  ANY,
  CpeError,
  NA,
  compareAttribute,
  compareCpe,
  cpeMatches,
  formatCpe23,
  formatCpeUri,
  makeWfn,
  parseCpe,
  parseCpe23,
  parseCpeUri,
  tryParseCpe,
  unquoteValue,
  type Relation,
} from "../../src/collect/vuln/cpe.js";

describe("CPE 2.3 formatted string", () => {
  const roundTrips = [
    "cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*",
    "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*",
    "cpe:2.3:a:vendor:prod\\:uct:1.0\\:build1:*:*:*:*:*:*:*",
    "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*",
    "cpe:2.3:o:linux:linux_kernel:4.14.180:*:*:*:*:*:*:*",
    "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*",
    "cpe:2.3:a:openbsd:openssh:9.3:-:*:*:*:*:*:*",
    "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
    "cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
    "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
    "cpe:2.3:a:*:*:*:*:*:*:*:*:*:*",
    "cpe:2.3:h:cisco:*:-:*:*:*:*:*:*:*",
    "cpe:2.3:a:w1.fi:hostapd:2.10:*:*:*:*:*:*:*",
    "cpe:2.3:a:haxx:libcurl:7.83.1:*:*:*:*:*:*:*",
    "cpe:2.3:a:uclibc-ng_project:uclibc-ng:1.0.40:*:*:*:*:*:*:*",
    "cpe:2.3:a:vendor:product:1.0\\!:*:*:*:*:*:*:*",
  ];
  for (const s of roundTrips) {
    it(`round-trips ${s}`, () => assert.equal(formatCpe23(parseCpe23(s)), s));
  }

  it("unbinds into WFN form: punctuation quoted, underscores not", () => {
    const w = parseCpe23("cpe:2.3:a:vendor:prod\\:uct:1.0\\:build1:*:*:*:*:*:*:*");
    assert.equal(w.product, "prod\\:uct");
    assert.equal(w.version, "1\\.0\\:build1");
    assert.equal(unquoteValue(w.version), "1.0:build1");
    const d = parseCpe23("cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:2022.83:*:*:*:*:*:*:*");
    assert.equal(d.vendor, "dropbear_ssh_project");
    assert.equal(d.product, "dropbear_ssh");
    assert.equal(d.version, "2022\\.83");
  });

  it("gives ANY and NA for * and -, and keeps quoted ones literal", () => {
    const w = parseCpe23("cpe:2.3:a:v:p:\\*:\\-:-:*:*:*:*:*");
    assert.equal(w.version, "\\*");
    assert.equal(w.update, "\\-");
    assert.equal(w.edition, NA);
    assert.equal(w.language, ANY);
    assert.equal(formatCpe23(w), "cpe:2.3:a:v:p:\\*:-:-:*:*:*:*:*");
  });

  it("drops escapes that are not needed: \\. \\- \\_", () => {
    assert.equal(
      formatCpe23(parseCpe23("cpe:2.3:a:ven\\_dor:prod\\-uct:1\\.0:*:*:*:*:*:*:*")),
      "cpe:2.3:a:ven_dor:prod-uct:1.0:*:*:*:*:*:*:*",
    );
  });

  const bad: [string, RegExp][] = [
    ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*", /10 attributes/],
    ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*:*", /12 attributes/],
    ["cpe:2.3:x:busybox:busybox:1.24.1:*:*:*:*:*:*:*", /part must be/],
    ["cpe:2.3:a:busybox::1.24.1:*:*:*:*:*:*:*", /empty product/],
    ["cpe:2.3:a:busy*box:busybox:1:*:*:*:*:*:*:*", /"\*" inside/],
    ["cpe:2.3:a:busy?box:busybox:1:*:*:*:*:*:*:*", /"\?" inside/],
    ["cpe:2.3:a:busy box:busybox:1:*:*:*:*:*:*:*", /not printable ASCII/],
    ["cpe:2.3:a:vendor:product:1.0\\:*:*:*:*:*:*:*", /10 attributes/],
    ["cpe:2.3:a:vendor:product:1\\a:*:*:*:*:*:*:*", /not punctuation/],
    ["cpe:2.2:a:busybox:busybox", /does not start with cpe:2\.3:/],
  ];
  for (const [s, re] of bad) {
    it(`rejects ${s}`, () =>
      assert.throws(
        () => parseCpe23(s),
        (e: unknown) => e instanceof CpeError && re.test(e.message),
      ));
  }
  it("tryParseCpe returns undefined instead of throwing", () => {
    assert.equal(tryParseCpe("not a cpe"), undefined);
  });
});

describe("CPE URI binding", () => {
  const cases: [string, string][] = [
    ["cpe:/a:busybox:busybox:1.24.1", "cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*"],
    ["cpe:/a:thekelleys:dnsmasq:2.55", "cpe:2.3:a:thekelleys:dnsmasq:2.55:*:*:*:*:*:*:*"],
    ["cpe:/o:linux:linux_kernel", "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*"],
    ["cpe:/a:openbsd:openssh:7.4:p1", "cpe:2.3:a:openbsd:openssh:7.4:p1:*:*:*:*:*:*"],
    [
      "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~",
      "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
    ],
    ["cpe:/a:vendor:prod%3auct:1.0%3abuild1", "cpe:2.3:a:vendor:prod\\:uct:1.0\\:build1:*:*:*:*:*:*:*"],
    ["cpe:/a:foo%5cbar:big%24money_2010", "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:*:*:*:*"],
    [
      "cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
      "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
    ],
    ["cpe:/a::reader:9.3.2:-:-", "cpe:2.3:a:*:reader:9.3.2:-:-:*:*:*:*:*"],
  ];
  for (const [uri, fs] of cases) {
    it(`${uri} <-> ${fs}`, () => {
      assert.equal(formatCpe23(parseCpeUri(uri)), fs);
      assert.equal(formatCpeUri(parseCpe23(fs)), uri);
      assert.deepEqual(parseCpe(uri), parseCpe(fs));
    });
  }
  it("reads upper case and lowercases it", () => {
    assert.equal(
      formatCpe23(parseCpeUri("cpe:/a:Adobe:Reader:9.3.2")),
      "cpe:2.3:a:adobe:reader:9.3.2:*:*:*:*:*:*:*",
    );
  });
  const bad: [string, RegExp][] = [
    ["cpe:/a:foo%5cbar:big%24money_2010%07", /percent-encodes/],
    ["cpe:/a:v:p:1:2:3:4:5", /at most 7/],
    ["cpe:/a:v:p:1:2:~a~b", /packs 2 editions/],
    ["cpe:/a:v:p:1%02.0", /%02 inside/],
    ["cpe:/a:v:p$:1", /must percent-encode/],
    ["cpe:/a:v:p:1%zz", /bad percent-encoding/],
  ];
  for (const [s, re] of bad) {
    it(`rejects ${s}`, () =>
      assert.throws(
        () => parseCpeUri(s),
        (e: unknown) => e instanceof CpeError && re.test(e.message),
      ));
  }
});

describe("CPE name matching (NISTIR 7696)", () => {
  const attr: [string, string, Relation][] = [
    [ANY, ANY, "equal"],
    [ANY, NA, "superset"],
    [ANY, "busybox", "superset"],
    [ANY, "busy*", "undefined"],
    [NA, ANY, "subset"],
    [NA, NA, "equal"],
    [NA, "busybox", "disjoint"],
    [NA, "busy*", "undefined"],
    ["busybox", ANY, "subset"],
    ["busybox", NA, "disjoint"],
    ["busybox", "busybox", "equal"],
    ["BusyBox", "busybox", "equal"],
    ["busybox", "toybox", "disjoint"],
    ["busybox", "busy*", "undefined"],
    ["busy*", "busybox", "superset"],
    ["busy*", ANY, "subset"],
    ["busy*", NA, "disjoint"],
    ["busy*", "busy?", "undefined"],
    ["*box", "busybox", "superset"],
    ["*ybo*", "busybox", "superset"],
    ["8\\.*", "8\\.0\\.6001", "superset"],
    ["8\\.*", "9\\.0", "disjoint"],
    ["sp?", "sp2", "superset"],
    ["sp?", "sp", "superset"],
    ["sp?", "sp22", "disjoint"],
    ["??x", "abx", "superset"],
    ["??x", "abcx", "disjoint"],
    ["1\\.0\\*", "1\\.0\\*", "equal"],
    ["1\\.0\\*", "1\\.0x", "disjoint"],
  ];
  for (const [s, t, r] of attr) {
    it(`attribute ${s} vs ${t}: ${r}`, () => assert.equal(compareAttribute(s, t), r));
  }

  const names: [string, string, Relation][] = [
    [
      "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*",
      "cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*",
      "superset",
    ],
    [
      "cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*",
      "cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*",
      "equal",
    ],
    ["cpe:2.3:a:busybox:busybox:1.24.1:*:*:*:*:*:*:*", "cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*", "subset"],
    [
      "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*",
      "cpe:2.3:a:openssl:openssl:1.0.2u:*:*:*:*:*:*:*",
      "disjoint",
    ],
    ["cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*", "cpe:/a::Reader:9.3.2:-:-", "disjoint"],
    ["cpe:2.3:a:openssl:*:1.0.*:*:*:*:*:*:*:*", "cpe:2.3:a:*:openssl:1.0.2k:*:*:*:*:*:*:*", "undefined"],
    [
      "cpe:2.3:a:vendor:prod\\:uct:1.0\\:build1:*:*:*:*:*:*:*",
      "cpe:/a:vendor:prod%3auct:1.0%3abuild1",
      "equal",
    ],
    [
      "cpe:2.3:a:vendor:prod\\:uct:1.0*:*:*:*:*:*:*:*",
      "cpe:2.3:a:vendor:prod\\:uct:1.0\\:build1:*:*:*:*:*:*:*",
      "superset",
    ],
    [
      "cpe:2.3:a:dropbear_ssh_project:dropbear_ssh:*:*:*:*:*:*:*:*",
      "cpe:2.3:a:dropbear_ssh_project:dropbear-ssh:2022.83:*:*:*:*:*:*:*",
      "disjoint",
    ],
  ];
  for (const [s, t, r] of names) {
    it(`${s} vs ${t}: ${r}`, () => {
      assert.equal(compareCpe(parseCpe(s), parseCpe(t)).relation, r);
      assert.equal(cpeMatches(parseCpe(s), parseCpe(t)), r === "superset" || r === "equal");
    });
  }

  it("reports the relation per attribute", () => {
    const c = compareCpe(
      parseCpe("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:sp2:*:*:*:*"),
      parseCpe("cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*"),
    );
    assert.equal(c.relation, "subset");
    assert.equal(c.attributes.vendor, "equal");
    assert.equal(c.attributes.version, "subset");
    assert.equal(c.attributes.update, "subset");
  });

  it("builds names from plain text, quoting punctuation", () => {
    const w = makeWfn({ part: "a", vendor: "openbsd", product: "openssh", version: "9.3", update: "p1" });
    assert.equal(formatCpe23(w), "cpe:2.3:a:openbsd:openssh:9.3:p1:*:*:*:*:*:*");
    assert.equal(makeWfn({ part: "a", vendor: "v", product: "p", version: "1.0:b1" }).version, "1\\.0\\:b1");
    assert.throws(() => makeWfn({ part: "q" }), CpeError);
  });
});
