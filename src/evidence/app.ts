// Evidence kinds of the companion-app collector (src/collect/app/): what an Android package's
// manifest, network security configuration and code say about its security.

export const APP = {
  manifest: "app.manifest",
  networkConfig: "app.network-config",
  endpoint: "app.endpoint",
  component: "app.component",
  secret: "app.secret",
} as const;

export interface AppManifestData {
  /** The APK as the manifest (or the command line) names it. */
  path: string;
  platform: "android";
  package: string;
  versionName?: string;
  versionCode?: number;
  minSdk?: number;
  targetSdk?: number;
  /** android:debuggable on <application>; absent means false. */
  debuggable: boolean;
  /** android:allowBackup, with Android's default (true) when absent. */
  allowBackup: boolean;
  allowBackupDeclared: boolean;
  /** android:fullBackupContent or android:dataExtractionRules is set (backup is restricted by rules). */
  backupRules: boolean;
  /** android:usesCleartextTraffic as declared, if it is. */
  usesCleartextTrafficDeclared?: boolean;
  /**
   * Whether the platform permits cleartext for the app's default domains: the network security
   * configuration's base-config when there is one, else usesCleartextTraffic, else Android's default
   * (permitted below target SDK 28).
   */
  cleartextPermitted: boolean;
  /** android:networkSecurityConfig is set (a resource reference). */
  networkSecurityConfig: boolean;
  /** Requested permissions of protection level "dangerous". */
  dangerousPermissions: string[];
  /** Counts of what else the analysis found, so a check can pass on "looked and found none". */
  httpEndpoints: number;
  exportedUnprotected: number;
  /** Things the analysis could not read (damaged optional files). */
  problems: string[];
}

export interface AppNetworkConfigData {
  /** The res/xml file inside the APK. */
  file: string;
  /** base-config cleartextTrafficPermitted, if declared. */
  baseCleartext?: boolean;
  /** Domains for which a domain-config permits cleartext. */
  cleartextDomains: string[];
  /** A trust-anchors outside debug-overrides includes <certificates src="user"/>. */
  trustsUserCerts: boolean;
  /** Number of pin-set elements. */
  pinSets: number;
}

export interface AppEndpointData {
  url: string;
  scheme: "http";
  /** File inside the APK where the URL appears. */
  file: string;
}

export type AppComponentType = "activity" | "activity-alias" | "service" | "receiver" | "provider";

export interface AppComponentData {
  type: AppComponentType;
  name: string;
  exported: boolean;
  /** Why it is exported: declared, or implied by intent filters (target SDK < 31) or the provider default (< 17). */
  exportedBy: "declared" | "intent-filter" | "provider-default";
  permission?: string;
  /** A launcher activity (MAIN/LAUNCHER): exported by necessity. */
  launcher: boolean;
}

export interface AppSecretData {
  format: string;
  /** Redacted: the first 4 characters and the length. */
  redacted: string;
  file: string;
}
