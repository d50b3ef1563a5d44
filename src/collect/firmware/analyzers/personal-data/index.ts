// Stores of personal data: SQLite databases (their tables say what they hold: contacts, messages,
// locations, faces ...), and plain files that are such stores: vCards and contact lists, saved
// Wi-Fi networks with their passphrases, GPS tracks, and directories where faces and recordings
// are kept. A factory image that already holds such data leaks whoever produced it; an empty
// store shows where the device will keep its users' data.
import type { PersonalDataStore } from "../../../../evidence/firmware.js";
import { FW } from "../../../../evidence/firmware.js";
import type { VEntry } from "../../vfs.js";
import type { Analyzer, AnalyzerContext, FileView } from "../types.js";
import { readSqliteSchema, SQLITE_MAGIC } from "./sqlite.js";

/** Largest database parsed; larger ones are reported from their first pages only. */
const MAX_DB = 256 * 1024 * 1024;
const MAX_TEXT = 4 * 1024 * 1024;
const MAX_DIR_STORES = 200;

/** Personal-data categories by table, column or file name. */
const CATEGORIES: [string, RegExp][] = [
  ["contacts", /contact|phone_?book|address_?book|vcard|buddy|buddies|friend/i],
  ["messages", /\bsms\b|^sms|message|chat|\bmms\b|inbox|outbox/i],
  ["call-log", /call_?log|call_?history|^calls?$/i],
  [
    "location",
    /location|\bgps|^gps|geo_?|latitude|longitude|\blat\b|\blon\b|\blng\b|trajectory|track_?point/i,
  ],
  ["credentials", /password|passwd|passphrase|credential|secret|token|\bpin\b|^pin$/i],
  ["wifi-credentials", /wifi|wlan|ssid|\bpsk\b|^psk$/i],
  ["biometrics", /face|biometric|fingerprint|feature_?vector|voice_?print|iris/i],
  ["media", /recording|snapshot|photo|picture|video_?clip|^clips?$|capture|voice_?message/i],
  [
    "accounts",
    /^users?$|user_?(name|id|info)|account|email|e_mail|phone_?(number|no)|mobile|birthday|gender|nickname/i,
  ],
  ["health", /heart_?rate|health|blood|sleep|weight|\bsteps?\b|^steps?$/i],
  ["history", /history|visited|browsing/i],
];

const MEDIA_DIR =
  /^(faces?|face_?(db|lib|data|id|features?|images?)|facedb|recordings?|snapshots?|captures?|videos|clips|alarm_?pics?|photos|pictures|voice_?(records?|messages?)|voicemail|gallery|dcim)$/i;
/** Where program data, not user data, lives: web assets, libraries, documentation. */
const NOT_USER_DATA = /^\/(usr|www|lib|lib64|proc|sys|dev|opt\/[^/]+\/(lib|share|www))\//;

export function categoriesOf(names: string[]): string[] {
  const out = new Set<string>();
  for (const n of names) for (const [cat, re] of CATEGORIES) if (re.test(n)) out.add(cat);
  return [...out].sort();
}

interface Store {
  data: PersonalDataStore;
  location: string;
}

export const personalDataAnalyzer: Analyzer = {
  id: "personal-data",
  version: "1",
  create() {
    const stores: Store[] = [];
    const add = (data: PersonalDataStore, location: string) => stores.push({ data, location });
    return {
      wants(f) {
        if (f.entry.size >= 100 && Buffer.from(f.head().subarray(0, 16)).equals(SQLITE_MAGIC)) return true;
        return f.entry.size <= MAX_TEXT && plainKind(f.path) !== undefined;
      },
      analyze(file: FileView) {
        const head = file.head();
        if (head.length >= 16 && Buffer.from(head.subarray(0, 16)).equals(SQLITE_MAGIC)) sqlite(file, add);
        else plain(file, add);
      },
      finish(ctx: AnalyzerContext) {
        mediaDirs(ctx.vfs.list(), add);
        stores.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
        for (const s of stores)
          ctx.emit<PersonalDataStore>({
            kind: FW.personalData,
            subject: "device",
            data: s.data,
            location: s.location,
          });
      },
    };
  },
};

type Add = (data: PersonalDataStore, location: string) => void;

function sqlite(file: FileView, add: Add): void {
  const bytes = file.entry.size > MAX_DB ? file.head() : file.read();
  const schema = readSqliteSchema(bytes, file.path);
  const names = schema.tables.flatMap((t) => [t.name, ...t.columns]);
  const categories = categoriesOf(names);
  const rows = schema.tables.reduce((n, t) => n + (t.rows ?? 0), 0);
  const tables = schema.tables.map((t) => (t.rows !== undefined ? `${t.name} (${t.rows} rows)` : t.name));
  const parts = [
    `SQLite database with ${schema.tables.length} table${schema.tables.length === 1 ? "" : "s"}`,
    tables.length > 0 ? `: ${tables.slice(0, 20).join(", ")}${tables.length > 20 ? ", ..." : ""}` : "",
    schema.method === "scan"
      ? ` (tables found by scanning: ${schema.problems[0] ?? "schema unreadable"})`
      : "",
  ];
  add(
    {
      store: "sqlite",
      detail: parts.join(""),
      categories,
      tables: schema.tables.map((t) => t.name),
      ...(schema.method === "btree" ? { records: rows } : {}),
    },
    file.path,
  );
}

function plainKind(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (
    /\.vcf$/i.test(name) ||
    /^(contacts?|phone_?book|address_?book)[^/]*\.(json|csv|xml|txt|dat|vcf)$/i.test(name)
  )
    return "contacts";
  if (/^wpa_supplicant[^/]*\.conf$/i.test(name) || /\.nmconnection$/i.test(name)) return "wifi-credentials";
  if (/\.(gpx|nmea|kml)$/i.test(name) || /^(location|gps|geo)[^/]*\.(json|csv|log|txt|db)$/i.test(name))
    return "location";
  return undefined;
}

function plain(file: FileView, add: Add): void {
  const kind = plainKind(file.path);
  if (!kind) return;
  const text = file.text();
  if (kind === "contacts") {
    const cards = (text.match(/^BEGIN:VCARD/gim) ?? []).length;
    add(
      {
        store: "plain",
        detail: cards > 0 ? `contact list with ${cards} vCard${cards === 1 ? "" : "s"}` : "contact list",
        categories: ["contacts"],
        ...(cards > 0 ? { records: cards } : {}),
      },
      file.path,
    );
  } else if (kind === "wifi-credentials") {
    // wpa_supplicant: network={ ssid=... psk=... }; NetworkManager: [wifi-security] psk=...
    const networks = /\.nmconnection$/i.test(file.path)
      ? /^\s*psk\s*=/m.test(text)
        ? 1
        : 0
      : (text.match(/network\s*=\s*\{[^}]*\b(psk|password|wep_key\d)\s*=[^}]*\}/g) ?? []).length;
    if (networks > 0)
      add(
        {
          store: "plain",
          detail: `saved Wi-Fi network${networks === 1 ? "" : "s"} with passphrase${networks === 1 ? "" : "s"} (${networks})`,
          categories: ["wifi-credentials"],
          records: networks,
        },
        file.path,
      );
  } else {
    const points = (text.match(/<trkpt\b|<wpt\b|\$GP(GGA|RMC)|<coordinates>/g) ?? []).length;
    add(
      {
        store: "plain",
        detail: points > 0 ? `location data with ${points} points` : "location data file",
        categories: ["location"],
        ...(points > 0 ? { records: points } : {}),
      },
      file.path,
    );
  }
}

/** Directories named for faces or recordings, with how many files they hold. */
function mediaDirs(entries: VEntry[], add: Add): void {
  const dirs = new Map<string, number>();
  for (const e of entries) {
    if (e.type !== "dir" || NOT_USER_DATA.test(`${e.path}/`)) continue;
    const name = e.path.slice(e.path.lastIndexOf("/") + 1);
    if (!MEDIA_DIR.test(name)) continue;
    // The outermost such directory stands for those inside it.
    if ([...dirs.keys()].some((d) => e.path.startsWith(`${d}/`))) continue;
    if (dirs.size >= MAX_DIR_STORES) break;
    dirs.set(e.path, 0);
  }
  if (dirs.size === 0) return;
  for (const e of entries) {
    if (e.type !== "file") continue;
    for (let cut = e.path.lastIndexOf("/"); cut > 0; cut = e.path.lastIndexOf("/", cut - 1)) {
      const d = e.path.slice(0, cut);
      const n = dirs.get(d);
      if (n !== undefined) {
        dirs.set(d, n + 1);
        break;
      }
    }
  }
  for (const [dir, files] of dirs) {
    const name = dir.slice(dir.lastIndexOf("/") + 1);
    add(
      {
        store: "plain",
        detail: `directory for ${/face/i.test(name) ? "face data" : "recordings and pictures"} holding ${files} file${files === 1 ? "" : "s"}`,
        categories: [/face/i.test(name) ? "biometrics" : "media"],
        records: files,
      },
      dir,
    );
  }
}
