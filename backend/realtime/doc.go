// Package realtime serves the live co-editing channel at /api/ws: a JSON
// websocket protocol (docs/protocol.md) through which clients open documents,
// submit operations to the op log and receive everyone else's operations,
// presence and cursors.
//
// Committed operations reach every instance through a Broker. The Hub
// delivers each document's operations to its local connections strictly in
// version order: it buffers out-of-order arrivals, fills gaps from the op
// log and compares with the database when a document goes quiet, so a lost
// broker message only ever delays delivery (docs/realtime.md).
package realtime
