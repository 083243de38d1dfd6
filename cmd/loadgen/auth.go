package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
)

// login starts a session with e-mail and password and creates an API token
// for this run (POST /api/session, then POST /api/tokens).
func login(ctx context.Context, base, email, password string) (string, error) {
	jar, _ := cookiejar.New(nil) // never fails without options
	hc := &http.Client{Jar: jar}
	if err := postJSON(ctx, hc, base+"/api/session", map[string]string{"email": email, "password": password}, nil); err != nil {
		return "", fmt.Errorf("login: %w", err)
	}
	var tok struct {
		Secret string `json:"secret"`
	}
	if err := postJSON(ctx, hc, base+"/api/tokens", map[string]string{"name": "loadgen"}, &tok); err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	if tok.Secret == "" {
		return "", fmt.Errorf("create token: no secret in the answer")
	}
	return tok.Secret, nil
}

func postJSON(ctx context.Context, hc *http.Client, url string, body, out any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s: %s", resp.Status, bytes.TrimSpace(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
