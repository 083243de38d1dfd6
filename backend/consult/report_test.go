package consult_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestReport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "sicher geteilt", "sicher und sparsam geteilt")
		q := f.thread(t, f.land2, domain.KindFrage, "digital", "")
		f.thread(t, f.pate, domain.KindKommentar, "Bund", "")
		xss, err := f.svc.Reply(ctx, f.land2, q.ID, "Warum? <script>alert(1)</script>")
		must(t, err)
		_, err = f.svc.Accept(ctx, f.pate, p.ID, false)
		must(t, err)
		_, err = f.svc.Resolve(ctx, f.pate, q.ID, "Beantwortet.")
		must(t, err)
		_, err = f.svc.SaveStatement(ctx, f.land, f.strategy.ID, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Ja."})
		must(t, err)
		_, err = f.svc.SubmitStatement(ctx, f.land, f.strategy.ID)
		must(t, err)

		_, err = f.svc.BuildReport(ctx, f.land, f.strategy.ID)
		wantCode(t, err, domain.EFORBIDDEN)
		r, err := f.svc.BuildReport(ctx, f.moderator, f.strategy.ID)
		must(t, err)

		var by *consult.CountRow
		for _, c := range r.Counts {
			if c.OrgCode == "BY" {
				by = c
			}
		}
		if len(r.Counts) != 2 || by == nil || by.Total != 2 || by.ByKind[domain.KindAenderungsvorschlag] != 1 ||
			by.ByStatus[domain.StatusUebernommen] != 1 || by.ByStatus[domain.StatusErledigt] != 1 || by.Position != domain.PositionZustimmung {
			t.Fatalf("counts = %+v", r.Counts)
		}
		sec := r.Sections[0]
		if sec.FromVersion != 0 || sec.ToVersion != 1 || len(sec.Threads) != 3 {
			t.Fatalf("section report = %+v", sec)
		}
		var ins, del string
		for _, c := range sec.Changes {
			switch c.Kind {
			case consult.Inserted:
				ins += c.Text
			case consult.Deleted:
				del += c.Text
			}
		}
		if !strings.Contains(ins, "und sparsam") || del != "" {
			t.Fatalf("synopsis insert %q delete %q", ins, del)
		}

		var html bytes.Buffer
		must(t, r.WriteHTML(&html))
		page := html.String()
		for _, want := range []string{"Auswertung der Beteiligung", "@media print", "<ins>und sparsam </ins>", "Beantwortet.", "sicher geteilt", "Zustimmung"} {
			if !strings.Contains(page, want) {
				t.Errorf("HTML report lacks %q", want)
			}
		}
		if strings.Contains(page, "<script>alert") {
			t.Fatal("HTML report carries the XSS payload")
		}
		if !strings.Contains(page, "Warum?") || strings.Contains(xss.HTML, "<script") {
			t.Fatal("comment missing or unsanitised")
		}

		// CSV for German Excel: one table per file, BOM, semicolons, Berlin time.
		var buf bytes.Buffer
		must(t, r.WriteCSV(&buf, "diskussionen"))
		raw := buf.Bytes()
		if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
			t.Fatalf("CSV starts with %q, want the UTF-8 byte-order mark", raw[:min(8, len(raw))])
		}
		cr := csv.NewReader(bytes.NewReader(raw[3:]))
		cr.Comma = ';'
		recs, err := cr.ReadAll()
		must(t, err)
		if len(recs) != 1+3 || recs[0][0] != "Diskussion" || recs[0][12] != "Erstellt (Europe/Berlin)" || recs[0][6] != "Zeilen (Beteiligungsfassung)" {
			t.Fatalf("threads CSV has %d rows: %q", len(recs), recs)
		}
		if !regexp.MustCompile(`^\d\d\.\d\d\.\d{4} \d\d:\d\d MES?Z$`).MatchString(recs[1][12]) {
			t.Fatalf("time %q is not in Berlin time with the zone named", recs[1][12])
		}
		if !bytes.Contains(raw, []byte("\r\n")) || strings.Count(string(raw), ";") < 11 {
			t.Fatal("CSV is not semicolon-separated with CRLF line ends")
		}
		buf.Reset()
		must(t, r.WriteCSV(&buf, "uebersicht"))
		cr = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\xef\xbb\xbf"))))
		cr.Comma = ';'
		recs, err = cr.ReadAll()
		must(t, err)
		if len(recs) != 1+2 || recs[0][0] != "Abschnitt" {
			t.Fatalf("counts CSV: %q", recs)
		}
		wantCode(t, r.WriteCSV(&buf, "alles"), domain.EINVALID)

		buf.Reset()
		must(t, r.WriteXLSX(&buf))
		x, err := excelize.OpenReader(&buf)
		must(t, err)
		defer x.Close()
		if got := x.GetSheetList(); strings.Join(got, ",") != "Übersicht,Stellungnahmen,Diskussionen,Synopse" {
			t.Fatalf("sheets = %v", got)
		}
		rows, err := x.GetRows("Diskussionen")
		must(t, err)
		if len(rows) != 4 {
			t.Fatalf("Diskussionen has %d rows", len(rows))
		}
		// Every sheet: header row frozen, autofilter over header and rows.
		for _, name := range x.GetSheetList() {
			panes, err := x.GetPanes(name)
			must(t, err)
			if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
				t.Errorf("%s: panes %+v, want the first row frozen", name, panes)
			}
			n, _ := x.GetRows(name)
			cols, _ := x.GetCols(name)
			last, _ := excelize.ColumnNumberToName(len(cols))
			want := fmt.Sprintf("A1:%s%d", last, max(len(n), 1))
			if got := autofilterRef(t, x, name); got != want {
				t.Errorf("%s: autofilter %q, want %q", name, got, want)
			}
		}
		st, _ := x.GetRows("Stellungnahmen")
		if len(st) != 2 || st[1][0] != "BY" || st[1][1] != "Zustimmung" {
			t.Fatalf("Stellungnahmen = %v", st)
		}
	})
}

func TestAuditLogAndExport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindKommentar, "Daten", "")
		_, err := f.svc.Resolve(ctx, f.land, th.ID, "") // denied
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Resolve(ctx, f.pate, th.ID, "Geheime Notiz")
		must(t, err)

		_, err = f.svc.AuditLog(ctx, f.pate, domain.AuditFilter{})
		wantCode(t, err, domain.EFORBIDDEN)
		evs, err := f.svc.AuditLog(ctx, f.moderator, domain.AuditFilter{Action: "thread_resolved"})
		must(t, err)
		if len(evs) != 1 || evs[0].OrgCode != "HH" || evs[0].Target != "thread:"+itoa(int(th.ID)) || *evs[0].ActorID != f.pate.ID ||
			evs[0].ActorName != f.pate.Name {
			t.Fatalf("events = %+v", evs)
		}
		var buf bytes.Buffer
		must(t, f.svc.ExportAuditCSV(ctx, f.moderator, domain.AuditFilter{}, &buf))
		recs, err := csv.NewReader(&buf).ReadAll()
		must(t, err)
		actions := map[string]int{}
		for _, r := range recs[1:] {
			actions[r[5]]++
		}
		// denied: the resolve above and the pate's audit listing.
		if recs[0][5] != "aktion" || recs[0][3] != "akteur_name" || actions["thread_created"] != 1 || actions["thread_resolved"] != 1 || actions["denied"] != 2 {
			t.Fatalf("export = %v", actions)
		}
		// Audit rows hold no content: neither comment bodies nor notes.
		all := buf.String()
		for _, r := range recs {
			all += strings.Join(r, " ")
		}
		if strings.Contains(all, "Begründung") || strings.Contains(all, "Geheime Notiz") {
			t.Fatal("audit log contains content")
		}
		if f.auditCount(t, "audit_exported") != 1 {
			t.Fatal("export not audited")
		}
	})
}

// TestSynopsisStartsAtConsultation checks that the Synopse compares the
// text as it was when the newest beteiligung phase started, found through
// the op log's timestamps, with the current text.
func TestSynopsisStartsAtConsultation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.edit(t, f.pate, "c", 1, 0, `["Entwurf: "]`) // before the new consultation
		time.Sleep(5 * time.Millisecond)
		opens, closes := f.Now().Add(-time.Minute), f.Now().Add(time.Hour)
		must(t, db.AddPhase(ctx, &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeteiligung, OpensAt: &opens, ClosesAt: &closes}))
		time.Sleep(5 * time.Millisecond)
		f.edit(t, f.pate, "c", 2, 1, `[9, {"d":3}, "Eine"]`) // "Die" → "Eine"
		r, err := f.svc.BuildReport(ctx, f.moderator, f.strategy.ID)
		must(t, err)
		sec := r.Sections[0]
		if sec.FromVersion != 1 || sec.ToVersion != 2 {
			t.Fatalf("synopsis from %d to %d, want 1 to 2", sec.FromVersion, sec.ToVersion)
		}
		var ins, del string
		for _, c := range sec.Changes {
			if c.Kind == consult.Inserted {
				ins += c.Text
			} else if c.Kind == consult.Deleted {
				del += c.Text
			}
		}
		if strings.Contains(ins, "Entwurf") || ins != "Eine" || del != "Die" {
			t.Fatalf("changes: inserted %q, deleted %q", ins, del)
		}
	})
}

// TestReportStyleHashMatches checks that the CSP hash allows exactly the
// style block the report page carries.
func TestReportStyleHashMatches(t *testing.T) {
	t.Parallel()
	r := &consult.Report{Strategy: &domain.Strategy{Title: "S"}, Phase: &domain.Phase{Title: "B"}}
	var buf bytes.Buffer
	must(t, r.WriteHTML(&buf))
	page := buf.String()
	style := page[strings.Index(page, "<style>")+len("<style>") : strings.Index(page, "</style>")]
	sum := sha256.Sum256([]byte(style))
	if want := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(consult.ReportContentSecurityPolicy, want) {
		t.Fatalf("CSP %q lacks %s", consult.ReportContentSecurityPolicy, want)
	}
}

// autofilterRef is the range of a sheet's autofilter, as excelize records
// it in the defined name _xlnm._FilterDatabase ("'Sheet'!$A$1:$L$4" → "A1:L4").
func autofilterRef(t *testing.T, x *excelize.File, sheet string) string {
	t.Helper()
	for _, d := range x.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.Scope == sheet {
			ref := d.RefersTo[strings.LastIndex(d.RefersTo, "!")+1:]
			return strings.ReplaceAll(ref, "$", "")
		}
	}
	return ""
}
