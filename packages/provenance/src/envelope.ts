import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { dsse } from '@sigstore/core';
import type { DsseEnvelope, PublicKeyEntry } from './formats';

/** DSSE's pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, what is signed. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  return dsse.preAuthEncoding(payloadType, Buffer.from(payload));
}

/** Signs `payload` with an Ed25519 private key into a DSSE envelope. */
export function signEnvelope(payloadType: string, payload: Uint8Array, privateKey: KeyObject, keyid: string): DsseEnvelope {
  const sig = sign(null, preAuthEncoding(payloadType, payload), privateKey);
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid, sig: sig.toString('base64') }] };
}

export type EnvelopeCheck = { ok: true; keyid: string; payload: Buffer } | { ok: false; problem: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Verifies a DSSE envelope against a set of Ed25519 public keys: at least one signature must come
 * from a key of the set (by keyid) and verify over the PAE of the payload. Returns the payload.
 */
export function verifyEnvelope(envelope: unknown, keys: readonly PublicKeyEntry[], expectedPayloadType?: string): EnvelopeCheck {
  if (!isEnvelope(envelope)) return { ok: false, problem: 'not a DSSE envelope: it needs payloadType, payload (base64) and signatures [{keyid, sig}]' };
  if (expectedPayloadType && envelope.payloadType !== expectedPayloadType) {
    return { ok: false, problem: `the envelope's payload type is '${envelope.payloadType}', expected '${expectedPayloadType}'` };
  }
  if (envelope.signatures.length === 0) return { ok: false, problem: 'the envelope carries no signature' };
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  const unknown: string[] = [];
  for (const signature of envelope.signatures) {
    const key = keys.find((k) => k.keyid === signature.keyid);
    if (!key) {
      unknown.push(signature.keyid);
      continue;
    }
    if (verifyWith(key.publicKeyPem, pae, signature.sig)) return { ok: true, keyid: key.keyid, payload };
    return {
      ok: false,
      problem: `the signature by key ${short(key.keyid)} does not verify: the attestation was altered after signing, or was not signed by that key`,
    };
  }
  return {
    ok: false,
    problem: `signed by key ${unknown.map(short).join(', ')}, which is not one of the tenant's keys (${keys.map((k) => short(k.keyid)).join(', ') || 'none'})`,
  };
}

function verifyWith(publicKeyPem: string, pae: Buffer, sigBase64: string): boolean {
  if (!BASE64.test(sigBase64)) return false;
  try {
    return verify(null, pae, createPublicKey(publicKeyPem), Buffer.from(sigBase64, 'base64'));
  } catch {
    return false;
  }
}

function isEnvelope(value: unknown): value is DsseEnvelope {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.payloadType === 'string' &&
    typeof e.payload === 'string' &&
    BASE64.test(e.payload) &&
    Array.isArray(e.signatures) &&
    e.signatures.every((s: unknown) => !!s && typeof s === 'object' && typeof (s as { keyid?: unknown }).keyid === 'string' && typeof (s as { sig?: unknown }).sig === 'string')
  );
}

/** The first 12 hex digits of a keyid, enough to tell keys apart in a message. */
export function short(keyid: string): string {
  return keyid.slice(0, 12);
}
