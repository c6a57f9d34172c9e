/**
 * The FieldOps technician client SDK: what a technician's app needs to work offline against a
 * FieldOps server.
 *
 * <p>{@link org.fieldops.client.FieldClient} is the entry point: it keeps the day's job packet in a
 * local cache (a full packet, then deltas by cursor), records every change the technician makes as
 * a field event in a durable queue on disk before the recording call returns, and uploads the queue
 * when the network allows, in batches, with retries, media first. {@link
 * org.fieldops.client.SyncState} is what the app shows: pending, in review, rejected, last sync.
 *
 * <p>HTTP goes through a {@link org.fieldops.client.Transport}; {@link
 * org.fieldops.client.HttpClientTransport} is the default on {@code java.net.http}. The SDK depends
 * on nothing of the server's code, only on the REST contract ({@code docs/sync-protocol.md}) and
 * Jackson.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.fieldops.client;
