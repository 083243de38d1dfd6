// Package domain holds Strategieraum's domain types, the service
// interfaces the storage layer implements, and the error codes that travel
// from storage through the HTTP and websocket layers to the user.
//
// It imports only the standard library. Everything else in backend/ depends
// on it; it depends on nothing in backend/.
package domain
