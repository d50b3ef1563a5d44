// Table tests for probe.upnp-igd-unauthenticated.
import { probeUpnpIgdUnauthenticated } from "../../../src/checks/probe-upnp-igd-unauthenticated.js";
import type { IgdControl, UpnpData } from "../../../src/evidence/probe-upnp.js";
import { checkTable } from "../../helpers/check-table.js";
import { ev } from "../../helpers/evidence.js";

const WANIP = "urn:schemas-upnp-org:service:WANIPConnection:1";
const igd = (c: Partial<IgdControl>): IgdControl => ({
  location: "http://10.0.0.1:5000/rootDesc.xml",
  serviceType: WANIP,
  controlURL: "http://10.0.0.1:5000/ctl/IPConn",
  scpdURL: "http://10.0.0.1:5000/WANIPCn.xml",
  ...c,
});
const upnp = (controls: IgdControl[]) =>
  ev<UpnpData>(
    "probe.upnp",
    {
      host: "router",
      address: "10.0.0.1",
      port: 1900,
      answered: true,
      responses: [],
      descriptions: [],
      igd: controls,
      transcripts: [],
    },
    "device",
  );
const answered = {
  action: "GetExternalIPAddress" as const,
  status: 200,
  outcome: "answered" as const,
  detail: "NewExternalIPAddress=198.51.100.4",
};

checkTable(probeUpnpIgdUnauthenticated, {
  valid: [
    {
      name: "refused with 606",
      evidence: [
        upnp([
          igd({
            addPortMapping: true,
            call: {
              action: "GetExternalIPAddress",
              status: 500,
              outcome: "refused",
              detail: "UPnP error 606 Action not authorized",
            },
          }),
        ]),
      ],
      expect: [
        {
          status: "pass",
          message:
            "The UPnP gateway on router (WANIPConnection:1 at http://10.0.0.1:5000/ctl/IPConn) refuses an unauthenticated GetExternalIPAddress (UPnP error 606 Action not authorized).",
          requirements: ["AUTH-08"],
        },
      ],
    },
    {
      name: "answered, but no AddPortMapping",
      evidence: [upnp([igd({ addPortMapping: false, actions: ["GetExternalIPAddress"], call: answered })])],
      expect: [
        {
          status: "pass",
          message:
            "The UPnP gateway on router (WANIPConnection:1 at http://10.0.0.1:5000/ctl/IPConn) answers GetExternalIPAddress without authentication (NewExternalIPAddress=198.51.100.4) but offers no AddPortMapping.",
        },
      ],
    },
  ],
  invalid: [
    {
      name: "answered with AddPortMapping offered",
      evidence: [upnp([igd({ addPortMapping: true, call: answered })])],
      expect: [
        {
          status: "fail",
          message:
            "The UPnP gateway on router (WANIPConnection:1 at http://10.0.0.1:5000/ctl/IPConn) answers GetExternalIPAddress without authentication (NewExternalIPAddress=198.51.100.4) and offers AddPortMapping: any program on the network can open ports through the device's firewall.",
        },
      ],
    },
    {
      name: "answered, SCPD unreadable (PPP connection)",
      evidence: [
        upnp([
          igd({
            serviceType: "urn:schemas-upnp-org:service:WANPPPConnection:1",
            scpdReason: "HTTP 404",
            call: answered,
          }),
        ]),
      ],
      expect: [
        {
          status: "fail",
          message:
            "The UPnP gateway on router (WANPPPConnection:1 at http://10.0.0.1:5000/ctl/IPConn) answers GetExternalIPAddress without authentication (NewExternalIPAddress=198.51.100.4) and its service type requires AddPortMapping (the SCPD could not be read): any program on the network can open ports through the device's firewall.",
        },
      ],
    },
  ],
  silent: [
    { name: "no IGD", evidence: [upnp([])], expect: [] },
    {
      name: "control on another host, not called",
      evidence: [upnp([igd({ refused: "http://10.9.9.9/ctl is not on the target: not called" })])],
      expect: [],
    },
    {
      name: "no answer from control",
      evidence: [
        upnp([
          igd({
            call: { action: "GetExternalIPAddress", outcome: "no answer", detail: "no answer (timeout)" },
          }),
        ]),
      ],
      expect: [],
    },
  ],
});
