package review

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
)

// The CSV is one rectangular table, one row per item, with the review's own data repeated in
// the leading columns of every row. A single header row and no preamble means any spreadsheet
// or script reads it as a table without skipping lines, every row stands on its own when
// filtered or sorted, and the counts are a pivot away; the printable page carries the summary.
var csvHeader = []string{
	"Site number", "Site name", "Review", "Started at", "Started by", "Due at",
	"Completed at", "Completed by", "Completed by attestation",
	"Item", "Contact", "First name", "Last name", "Email", "Role", "Status",
	"softwareAccess", "reporting", "entitlements", "manageAccess", "contactUpdates", "accountDocuments",
	"Contact types", "Last sign-in", "Invitation expires", "Added",
	"Suggested decision", "Suggestion reason", "Privilege flags", "Self-confirmed at",
	"Decision", "Decided by", "Decided at", "Kept by attestation", "Note", "Outcome",
}

// CSV renders the evidence as RFC 4180 CSV (CRLF line ends) in UTF-8 with a byte order mark,
// as the dashboard's contacts export does, so that spreadsheets read names in any script.
// Times are RFC 3339 in UTC; several values in one cell are separated by "; ".
func (e *Evidence) CSV() []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	r := e.Review
	review := []string{
		e.SiteNumber, e.SiteName, strconv.Itoa(r.ID), stamp(&r.StartedAt), r.StartedBy, stamp(&r.DueAt),
		stamp(r.CompletedAt), deref(r.CompletedBy), strconv.FormatBool(r.Attested),
	}
	write := func(row []string) {
		for i, cell := range row {
			row[i] = neutralize(cell)
		}
		_ = w.Write(row) // a bytes.Buffer does not fail
	}
	write(append([]string(nil), csvHeader...))
	for _, it := range e.Items {
		s := it.Snapshot
		row := append(append(make([]string, 0, len(csvHeader)), review...),
			strconv.Itoa(it.ID), strconv.Itoa(it.ContactID), s.FirstName, s.LastName, s.Email,
			string(s.AccessRole), string(s.Status))
		for _, p := range privilegeColumns(s.Privileges) {
			row = append(row, p[1])
		}
		var suggested, reason string
		if it.Suggestion != nil {
			suggested, reason = string(it.Suggestion.Decision), it.Suggestion.Reason
		}
		var outcome string
		if it.Outcome != nil {
			outcome = string(*it.Outcome)
		}
		row = append(row, contactTypes(s.ContactTypes), stamp(s.LastSignInAt), stamp(s.InvitationExpiresAt), stamp(&s.CreatedAt),
			suggested, reason, strings.Join(it.Flags, "; "), stamp(it.SelfConfirmedAt),
			string(it.Decision), deref(it.DecidedBy), stamp(it.DecidedAt), strconv.FormatBool(it.ByAttestation()),
			deref(it.Note), outcome)
		write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// neutralize keeps a cell from running as a formula when a spreadsheet opens the file: a value
// starting with = + - @, a tab or a carriage return gets a leading apostrophe (as OWASP
// recommends, and as the dashboard's contacts export does). Names, notes and emails are typed
// by people; none of them should ever compute.
func neutralize(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
