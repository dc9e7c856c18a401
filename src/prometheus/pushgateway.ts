/**
 * Pushing a run's metrics to a Prometheus Pushgateway: one PUT to
 * /metrics/job/JOB{/LABEL/VALUE}, which replaces the group's metrics (a
 * run's results, not a sum over runs). Failing is never fatal: the caller
 * turns the message into one warning (the local report is already written).
 */
import type { Labels } from './exposition.js';

export interface PushTarget {
  /** The gateway's base URL without credentials (safe to show). */
  shown: string;
  url: URL;
  /** From user:password in the URL: sent as HTTP basic auth, never shown. */
  authorization?: string;
}

/** Why `raw` is no Pushgateway URL, or its target. */
export function parsePushgatewayUrl(raw: string): PushTarget | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is no URL (e.g. http://pushgateway.example:9091)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} is no protocol a Pushgateway speaks (http: or https:)`;
  if (url.search !== '' || url.hash !== '') return 'a Pushgateway URL has no ?query or #fragment';
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64');
    url.username = '';
    url.password = '';
  }
  return { shown: url.toString().replace(/\/$/, ''), url, authorization };
}

/**
 * One grouping-key segment: a value with a slash, an empty one, and . or ..
 * (which a URL resolves away: job ".." would push to another path) in the
 * Pushgateway's base64 form.
 */
function segment(name: string, value: string): string {
  if (value === '' || value.includes('/') || value === '.' || value === '..') return `${name}@base64/${value === '' ? '=' : Buffer.from(value).toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}

/** The group's URL: BASE/metrics/job/JOB/LABEL/VALUE... */
export function groupUrl(target: PushTarget, job: string, labels: Labels): URL {
  const base = target.url.toString().replace(/\/+$/, '');
  return new URL(`${base}/metrics/${[segment('job', job), ...labels.map(([k, v]) => segment(k, v))].join('/')}`);
}

const PUSH_TIMEOUT_MS = 10_000;

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${PUSH_TIMEOUT_MS / 1000} s`;
  return cause?.message ?? (error as Error).message;
}

/** PUTs the metrics; resolves to undefined, or to why the push failed (one line). */
export async function pushMetrics(target: PushTarget, job: string, labels: Labels, body: string): Promise<string | undefined> {
  const url = groupUrl(target, job, labels);
  const headers: Record<string, string> = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' };
  if (target.authorization) headers.authorization = target.authorization;
  try {
    const response = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.timeout(PUSH_TIMEOUT_MS) });
    if (response.ok) return undefined;
    // The server's words, without control characters (a terminal would obey them).
    const text = ((await response.text().catch(() => '')).trim().split('\n')[0] ?? '').slice(0, 200).replace(/[\x00-\x1f\x7f]/g, '?');
    return `the Pushgateway at ${target.shown} answered ${response.status} ${response.statusText}${text ? `: ${text}` : ''}`;
  } catch (error) {
    return `cannot reach the Pushgateway at ${target.shown}: ${reason(error)}`;
  }
}
