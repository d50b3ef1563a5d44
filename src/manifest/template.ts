// The starter manifest `concord init` writes: every section, commented, with safe placeholders.
export function starterManifest(name = "My Product"): string {
  return `# concord.yaml: describe the product once; Concord assesses it for every market.
# Reference: docs/manifest.md. Validate and assess with: concord assess .
concord: 1

product:
  name: ${JSON.stringify(name)}
  maker:
    name: "Example Devices Ltd"
    country: GB                 # ISO 3166 alpha-2
    url: https://example.com
  model: "EX-100"               # as printed on the label (EN 303 645 5.3-16)
  version: "1.0.0"              # software version the device reports
  category: smart-home-hub      # free text: camera, router, smart-lock, toy, wearable...
  craClass: default             # EU CRA class: default | important-class-1 | important-class-2 | critical | out-of-scope

# Where the product is sold. \`concord catalog markets\` lists the codes (EU, UK, US, SG, JP, AU, ...).
markets: [EU, UK, US]

# Optional: voluntary regimes and labels to assess in addition to the markets' own.
# regimes:
#   include: [sg-cls, jp-jc-star]
#   exclude: []

# Product facts that decide which requirements apply. Concord assumes the cautious value for
# anything left out; \`concord catalog conditions\` lists them all.
conditions:
  uses-passwords: true
  constrained: false
  personal-data: true

# How long the product gets security updates, and where buyers can read it.
support:
  until: "2031-12-31"           # or: none
  publishedAt: https://example.com/support-period
  statedAtPurchase: true        # the end date is shown where the product is bought (shop page, box)

# The vulnerability disclosure policy and its contact.
disclosure:
  policy: https://example.com/security/disclosure
  contact: mailto:security@example.com
  securityTxt: https://example.com/.well-known/security.txt   # fetched with --fetch; or a file: security.txt
  acknowledgeWithinDays: 5
  # reporting: { earlyWarningHours: 24, notificationHours: 72, finalReportDays: 14 }   # EU CRA Article 14

# What Concord can examine. Paths are relative to this file.
artifacts:
  cloud:
    - url: https://api.example.com
      purpose: device telemetry and control
  # firmware: [{ path: firmware/ex-100-1.0.0.bin }]
  # sboms: [{ path: sbom/ex-100.cdx.json }]
  # device: { address: 192.0.2.10 }
  # apps: [{ platform: android, path: app/ex-100.apk }]
  # mud: { path: mud/ex-100.json }

# What only people can vouch for: one entry per requirement (or per regime provision), with the
# document that backs it. \`concord catalog show VULN-02\` says what each requirement needs.
# They can live in their own file instead, which \`concord attest\` writes:
# attestationsFile: attestations.yaml
attestations: []
#  - requirement: VULN-02
#    statement: Reports are triaged within 5 working days and fixed per the severity timelines.
#    evidence: [docs/vulnerability-handling.pdf]
#    by: { name: Jane Doe, role: Head of Product Security }
#    date: "2026-01-15"
#    validUntil: "2027-01-15"
`;
}
