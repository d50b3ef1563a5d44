// UPnP device descriptions (UDA 1.1 section 2.3) and service descriptions (SCPD, section 2.5):
// the fields a report needs, read from the bounded XML tree. URLs inside a description are
// resolved against URLBase when present, else against the address the description came from.
import type { UpnpDevice, UpnpService } from "../../../evidence/probe-upnp.js";
import { child, childText, descendants, parseXml, type XmlElement } from "./xml.js";

const MAX_DEVICES = 16;
const MAX_SERVICES = 32;
const MAX_ACTIONS = 128;

export interface Description {
  device?: UpnpDevice;
  /** The base relative URLs resolve against. */
  base: string;
}

function readDevice(el: XmlElement, budget: { devices: number }): UpnpDevice {
  budget.devices--;
  const d: UpnpDevice = {
    deviceType: childText(el, "deviceType"),
    friendlyName: childText(el, "friendlyName"),
    manufacturer: childText(el, "manufacturer"),
    modelName: childText(el, "modelName"),
    services: [],
    devices: [],
  };
  for (const [k, name] of [
    ["modelNumber", "modelNumber"],
    ["serialNumber", "serialNumber"],
    ["UDN", "UDN"],
  ] as const) {
    const v = childText(el, name);
    if (v) d[k] = v.slice(0, 200);
  }
  for (const s of child(el, "serviceList")?.children ?? []) {
    if (s.name !== "service" || d.services.length >= MAX_SERVICES) continue;
    const svc: UpnpService = {
      serviceType: childText(s, "serviceType"),
      serviceId: childText(s, "serviceId"),
      controlURL: childText(s, "controlURL"),
      SCPDURL: childText(s, "SCPDURL"),
      eventSubURL: childText(s, "eventSubURL"),
    };
    d.services.push(svc);
  }
  for (const sub of child(el, "deviceList")?.children ?? [])
    if (sub.name === "device" && budget.devices > 0) d.devices.push(readDevice(sub, budget));
  return d;
}

export function parseDescription(xml: string, location: string): Description {
  const root = parseXml(xml);
  const top = child(root, "root");
  const urlBase = childText(top, "URLBase");
  const dev = child(top, "device");
  return {
    device: dev ? readDevice(dev, { devices: MAX_DEVICES }) : undefined,
    base: urlBase || location,
  };
}

/** Every service of a device and its embedded devices. */
export function allServices(d: UpnpDevice): UpnpService[] {
  return [...d.services, ...d.devices.flatMap(allServices)];
}

/** Action names of an SCPD. */
export function parseScpd(xml: string): string[] {
  const root = parseXml(xml);
  const list = descendants(root, "actionList", 1)[0];
  return (list?.children ?? [])
    .filter((a) => a.name === "action")
    .slice(0, MAX_ACTIONS)
    .map((a) => childText(a, "name").slice(0, 100))
    .filter((n) => n !== "");
}

/** A URL from a description, resolved; undefined when it does not parse. */
export function resolveUrl(ref: string, base: string): URL | undefined {
  try {
    return new URL(ref, base);
  } catch {
    return undefined;
  }
}
