/**
 * A stand-in for another voice vendor ("Acme Voice"): a Telephony keeps the port's promise (one
 * call per request, our call id kept for the vendor's webhooks) whatever the vendor. This one only
 * keeps the calls it would dial; a real one would call its vendor's API here.
 */
import type { OutboundCallRequest, Telephony } from "@voxanne/core";

export interface AcmeTelephony extends Telephony {
  readonly dialled: readonly (OutboundCallRequest & { vendorCallId: string })[];
}

export function acmeTelephony(log: (line: string) => void = () => {}): AcmeTelephony {
  const dialled: (OutboundCallRequest & { vendorCallId: string })[] = [];
  return {
    dialled,
    async createOutboundCall(request) {
      const vendorCallId = `acme-${dialled.length + 1}`;
      dialled.push({ ...structuredClone(request), vendorCallId });
      log(`Acme Voice: dialling for call ${request.callId} (org ${request.orgId}) → ${vendorCallId}`);
      return { vendorCallId };
    },
  };
}
