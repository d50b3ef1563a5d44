// Data shape of probe.upnp evidence: what SSDP answered on one target and port, the device
// descriptions fetched from the target itself, and for Internet Gateway Devices whether their
// WAN connection service answers control requests without authentication.
import type { Transcript } from "./probe.js";
import type { SsdpResponse } from "./probe-udp.js";

export interface UpnpService {
  serviceType: string;
  serviceId: string;
  controlURL: string;
  SCPDURL: string;
  eventSubURL: string;
}

export interface UpnpDevice {
  deviceType: string;
  friendlyName: string;
  manufacturer: string;
  modelName: string;
  modelNumber?: string;
  serialNumber?: string;
  UDN?: string;
  services: UpnpService[];
  /** Embedded devices (deviceList), bounded. */
  devices: UpnpDevice[];
}

export interface UpnpDescription {
  location: string;
  fetched: boolean;
  /** Why it was not fetched: another host, not http, a dry run. */
  refused?: string;
  /** Why the fetch gave no description. */
  reason?: string;
  status?: number;
  device?: UpnpDevice;
}

export interface IgdControl {
  /** The description it was found in. */
  location: string;
  serviceType: string;
  /** Absolute URLs, resolved against URLBase or the description's address. */
  controlURL: string;
  scpdURL: string;
  /** Action names offered by the SCPD (bounded); undefined when the SCPD could not be read. */
  actions?: string[];
  scpdReason?: string;
  addPortMapping?: boolean;
  deletePortMapping?: boolean;
  /** The one read-only action called, without credentials. */
  call?: {
    action: "GetExternalIPAddress" | "GetGenericPortMappingEntry";
    status?: number;
    /**
     * answered: the control point processed the request (a result or a UPnP error other than
     * 606); refused: HTTP 401/403 or UPnP error 606 (Action not authorized); no answer: neither.
     */
    outcome: "answered" | "refused" | "no answer";
    /** The result ("NewExternalIPAddress=203.0.113.7"), the UPnP error, or the reason. */
    detail: string;
  };
  /** Why the control URL was not called (another host). */
  refused?: string;
}

export interface UpnpData {
  host: string;
  address: string;
  port: number;
  /** An SSDP answer came back. */
  answered: boolean;
  reason?: string;
  responses: SsdpResponse[];
  descriptions: UpnpDescription[];
  igd: IgdControl[];
  transcripts: Transcript[];
}
