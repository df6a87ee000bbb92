package review

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"sitekeeper/ent"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/viewer"
)

// EvidenceFormat is how the evidence downloads.
type EvidenceFormat string

const (
	// EvidenceCSV is an attachment: a table for spreadsheets and scripts.
	EvidenceCSV EvidenceFormat = "csv"
	// EvidenceHTML is shown inline: the printable page.
	EvidenceHTML EvidenceFormat = "html"
)

// EvidenceURL is where a completed review's evidence downloads (server.go routes the pattern
// /reviews/{id}/evidence.csv|html to EvidenceHandler); nil while the review is open.
func EvidenceURL(r *ent.Review, format EvidenceFormat) *string {
	if r.CompletedAt == nil {
		return nil
	}
	return new(fmt.Sprintf("/reviews/%d/evidence.%s", r.ID, format))
}

type evidenceHandler struct {
	client *ent.Client
	format EvidenceFormat
}

// EvidenceHandler serves GET /reviews/{id}/evidence.csv or .html, behind the session and
// bearer middlewares that put the viewer in the request's context (as reminder.Handler).
//
// Everything is read through ent as the caller, so the privacy rules decide (READ_REVIEWS: the
// readers of the Site's audit log). Answers:
//   - 401 to an anonymous caller;
//   - 404 for a review that does not exist and for one the caller may not read, the same
//     answer, so the route tells nobody which review ids exist;
//   - 409 for an open review the caller may read: it exists, but it is no evidence yet (its
//     decisions still change); the GraphQL API gives no evidence URL for it either;
//   - 200 with the file otherwise.
func EvidenceHandler(client *ent.Client, format EvidenceFormat) http.Handler {
	return &evidenceHandler{client: client, format: format}
}

func (h *evidenceHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if viewer.FromContext(ctx).IsAnonymous() {
		http.Error(w, "sign in to download the evidence of a review", http.StatusUnauthorized)
		return
	}
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id <= 0 || strconv.Itoa(id) != r.PathValue("id") {
		http.NotFound(w, r)
		return
	}
	ctx = ent.NewContext(ctx, h.client)
	rev, err := h.client.Review.Get(ctx, id) // filtered by the review's read rule
	if ent.IsNotFound(err) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if rev.CompletedAt == nil {
		http.Error(w, "this review is still open: its evidence can be downloaded once it is completed", http.StatusConflict)
		return
	}
	site, err := h.client.Site.Get(ctx, rev.SiteID)
	if ent.IsNotFound(err) {
		http.NotFound(w, r) // whoever reads a Site's reviews sees the Site; kept safe anyway
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, err := h.client.ReviewItem.Query().Where(reviewitem.ReviewID(rev.ID)).
		Order(ent.Asc(reviewitem.FieldID)).All(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e := NewEvidence(site, rev, items)
	var body []byte
	switch h.format {
	case EvidenceCSV:
		body = e.CSV()
		w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, e.FileName("csv")))
	default:
		if body, err = e.HTML(); err != nil {
			h.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"`, e.FileName("html")))
		w.Header().Set("X-Frame-Options", "DENY")
	}
	// Also on the CSV: a browser told to render it anyway runs nothing.
	w.Header().Set("Content-Security-Policy", EvidenceCSP)
	_, _ = w.Write(body)
}

// fail answers 500 without internals; the log line carries the request id.
func (h *evidenceHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	slog.ErrorContext(r.Context(), "review evidence", "err", err, "path", r.URL.Path)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
