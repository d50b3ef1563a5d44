// Evidence kinds of the companion-app collector (src/collect/app/): what an Android package's
// manifest, network security configuration, signature and code, and what an iOS app's Info.plist,
// entitlements and executable say about their security.

export const APP = {
  manifest: "app.manifest",
  networkConfig: "app.network-config",
  endpoint: "app.endpoint",
  component: "app.component",
  secret: "app.secret",
  signing: "app.signing",
  pinning: "app.pinning",
  iosBundle: "app.ios-bundle",
} as const;

export type AppPlatform = "android" | "ios";

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
  /**
   * Whether user-installed CA certificates are trusted for the app's connections: by its network
   * security configuration (trust-anchors with src="user" outside debug-overrides), by default
   * (target SDK 23 or lower, when no base-config replaces the trust anchors), or not at all.
   */
  userCAs: "trusted-by-config" | "trusted-by-default" | "not-trusted";
  /** Secrets found in code, resources and assets (a count, so a check can pass on "looked, none"). */
  secrets: number;
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
  /**
   * How the file was found: through resources.arsc (the manifest's resource id resolved), or by
   * looking for the res/xml file whose root is <network-security-config> when that failed.
   */
  resolvedBy: "resources.arsc" | "root-element";
  /** base-config cleartextTrafficPermitted, if declared. */
  baseCleartext?: boolean;
  /** Domains for which a domain-config permits cleartext. */
  cleartextDomains: string[];
  /** A trust-anchors outside debug-overrides includes <certificates src="user"/>. */
  trustsUserCerts: boolean;
  /** base-config declares its own trust-anchors (replacing the platform default). */
  baseTrustAnchors: boolean;
  /** Number of pin-set elements. */
  pinSets: number;
  /** Domains whose domain-config has a pin-set, and the pins (digests) they hold in all. */
  pinnedDomains: string[];
  pins: number;
}

export interface AppEndpointData {
  url: string;
  scheme: "http";
  /** File inside the APK or IPA where the URL appears. */
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
  /** aws-access-key-id, jwt, google-api-key, private-key, assignment ... */
  format: string;
  /** Redacted: the first 4 characters and the length (for keys: type and size). */
  redacted: string;
  /** File inside the APK or IPA. */
  file: string;
  /** For assignments in configuration assets: the name it was assigned to. */
  name?: string;
}

export type AppSigningScheme = "v1" | "v2" | "v3" | "v3.1";

/** One signer of an APK under one scheme. */
export interface AppSignerData {
  scheme: AppSigningScheme;
  subject: string;
  issuer: string;
  /** Serial number, lower-case hex. */
  serial: string;
  /** sha256 of the certificate (DER), lower-case hex. */
  sha256: string;
  /** rsa, ec, dsa, ed25519 ... and the size in bits. */
  keyType: string;
  bits?: number;
  /** The certificate's own signature algorithm (sha256WithRSAEncryption ...). */
  certificateSignatureAlgorithm: string;
  /** The APK signature's algorithm (v1: SHA256withRSA ...; v2/v3: RSASSA-PKCS1-v1_5 with SHA2-256 ...). */
  signatureAlgorithm: string;
  notBefore: string;
  notAfter: string;
  /** The certificate is the Android SDK's debug certificate (CN=Android Debug). */
  debug: boolean;
  /** The signature (and the digests Concord recomputes) verified. */
  verified: boolean;
  /** Why it did not verify, or what was not checked. */
  note?: string;
  /** v3 signers: the SDK range the signer covers. */
  minSdk?: number;
  maxSdk?: number;
}

export interface AppSigningData {
  path: string;
  /** The app's package name (from its manifest). */
  package?: string;
  /** Schemes with a readable signer, in order v1, v2, v3, v3.1; empty when the APK is not signed. */
  schemes: AppSigningScheme[];
  signers: AppSignerData[];
  /** Signature structures that are present but damaged. */
  problems: string[];
  /** min SDK of the app (from its manifest): v1 alone is not enough from the SDK levels where v2 exists. */
  minSdk?: number;
}

/** Certificate pinning found in an app, by mechanism. */
export interface AppPinningData {
  path: string;
  platform: AppPlatform;
  mechanisms: {
    /** network-security-config, ats-pinned-domains, trustkit, code-pins, library */
    kind: string;
    /** What was found, in a few words ("pin-set for api.example.com (2 pins)"). */
    detail: string;
    file: string;
  }[];
}

/** App Transport Security settings of an iOS app (Info.plist NSAppTransportSecurity). */
export interface IosAtsData {
  /** NSAppTransportSecurity is present. */
  declared: boolean;
  allowsArbitraryLoads: boolean;
  /**
   * NSAllowsArbitraryLoads as iOS applies it: from iOS 10 it is ignored when one of
   * NSAllowsArbitraryLoadsForMedia, ...InWebContent or NSAllowsLocalNetworking is present.
   */
  arbitraryLoadsEffective: boolean;
  allowsArbitraryLoadsForMedia: boolean;
  allowsArbitraryLoadsInWebContent: boolean;
  allowsLocalNetworking: boolean;
  exceptionDomains: {
    domain: string;
    includesSubdomains: boolean;
    /** NSExceptionAllowsInsecureHTTPLoads (or the NSTemporary... form). */
    allowsInsecureHTTPLoads: boolean;
    /** NSExceptionMinimumTLSVersion as written (TLSv1.0 ...), when set. */
    minimumTLSVersion?: string;
    /** NSExceptionRequiresForwardSecrecy (default true). */
    requiresForwardSecrecy: boolean;
  }[];
  /** Domains under NSPinnedDomains (iOS 14). */
  pinnedDomains: string[];
}

/** What an iOS app (.ipa) says about itself. */
export interface IosBundleData {
  path: string;
  platform: "ios";
  bundleId: string;
  /** CFBundleShortVersionString and CFBundleVersion. */
  version?: string;
  build?: string;
  minimumOS?: string;
  executable?: string;
  /** URL schemes the app registers (CFBundleURLTypes): other apps and web pages can open them. */
  urlSchemes: string[];
  ats: IosAtsData;
  /**
   * get-task-allow from the executable's code-signature entitlements or the embedded provisioning
   * profile: a development build that debuggers may attach to. Undefined when neither says.
   */
  getTaskAllow?: boolean;
  /** Where getTaskAllow came from. */
  entitlementsFrom?: "code-signature" | "provisioning-profile";
  /** The embedded provisioning profile's kind, when there is one. */
  provisioning?: "development" | "ad-hoc" | "enterprise" | "app-store";
  /** The executable is FairPlay-encrypted (App Store download): its strings cannot be read. */
  encrypted: boolean;
  httpEndpoints: number;
  secrets: number;
  problems: string[];
}
