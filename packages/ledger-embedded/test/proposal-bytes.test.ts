/**
 * `buildSignedProposal` writes the SignedProposal in one buffer; its bytes must be the ones
 * google-protobuf writes for the same messages (as @hyperledger/fabric-gateway builds them), for any
 * arguments: empty, non-ASCII, and long enough for multi-byte lengths at every level.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { buildSignedProposal, signLowS } from '../src/proposal.js';
import { ShimRuntime } from '../src/shim.js';

/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- google-protobuf messages of the shim's protos are untyped */

describe('signed proposal bytes', () => {
  it('are what google-protobuf writes for the same proposal', async () => {
    const runtime = ShimRuntime.open();
    try {
      const { shim } = runtime;
      const { common, peer } = shim.protos;
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const creator = {
        mspId: 'MojMSP',
        certificate: '-----BEGIN CERTIFICATE-----\nnot parsed here\n-----END CERTIFICATE-----\n',
        sign: (data: Uint8Array): Promise<Uint8Array> => Promise.resolve(signLowS(privateKey, data)),
      };
      const argSets: string[][] = [
        ['CredentialContract:GetCredential', '{"id":"urn:uuid:1"}'],
        ['Empty', ''],
        ['Unicode', 'ключ/中文/😀 \u2028', 'a'.repeat(200)],
        ['Long', 'x'.repeat(300_000), 'y'.repeat(20_000)],
        [],
      ];
      for (const args of argSets) {
        for (const chaincode of ['credledger', '']) {
          const built = await buildSignedProposal(shim, { channel: 'credentials', chaincode, creator, args });
          const signed = peer.SignedProposal.deserializeBinary(built.bytes);
          const proposalBytes: Uint8Array = signed.getProposalBytes_asU8();
          expect(
            verify('sha256', proposalBytes, { key: publicKey, dsaEncoding: 'der' }, signed.getSignature_asU8()),
          ).toBe(true);
          const proposal = peer.Proposal.deserializeBinary(proposalBytes);
          const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
          const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());
          const spec = invocation.getChaincodeSpec();
          expect(spec.getType()).toBe(peer.ChaincodeSpec.Type.NODE);
          expect(spec.getChaincodeId().getName()).toBe(chaincode);
          expect(
            spec
              .getInput()
              .getArgsList_asU8()
              .map((a: Uint8Array) => Buffer.from(a).toString('utf8')),
          ).toEqual(args);
          const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
          expect(common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId()).toBe(built.txId);

          // The same proposal built message by message with google-protobuf, as fabric-gateway does.
          const input = new peer.ChaincodeInput();
          input.setArgsList(args.map((a) => Buffer.from(a, 'utf8')));
          const chaincodeId = new peer.ChaincodeID();
          chaincodeId.setName(chaincode);
          const referenceSpec = new peer.ChaincodeSpec();
          referenceSpec.setType(peer.ChaincodeSpec.Type.NODE);
          referenceSpec.setChaincodeId(chaincodeId);
          referenceSpec.setInput(input);
          const referenceInvocation = new peer.ChaincodeInvocationSpec();
          referenceInvocation.setChaincodeSpec(referenceSpec);
          const referencePayload = new peer.ChaincodeProposalPayload();
          referencePayload.setInput(referenceInvocation.serializeBinary());
          const referenceProposal = new peer.Proposal();
          referenceProposal.setHeader(proposal.getHeader_asU8());
          referenceProposal.setPayload(referencePayload.serializeBinary());
          const referenceSigned = new peer.SignedProposal();
          referenceSigned.setProposalBytes(referenceProposal.serializeBinary());
          referenceSigned.setSignature(signed.getSignature_asU8());
          expect(Buffer.from(built.bytes).equals(Buffer.from(referenceSigned.serializeBinary()))).toBe(true);
        }
      }
    } finally {
      runtime.release();
    }
  });
});
