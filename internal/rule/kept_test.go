package rule_test

import (
	"testing"

	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/testkit/apitest"
)

// A kept contact is handed over once, and never after a change to it: the mutation that takes it
// would otherwise start from (and audit) values older than the row.
func TestKeptContactIsHandedOverOnceAndNeverStale(t *testing.T) {
	e := apitest.New(t)
	s := e.SeedSite("7000007", apitest.Person{Email: "kept@x.example", Role: domain.RoleUser, Privileges: domain.NoPrivileges()})
	id := s.ContactID("kept@x.example")
	ctx := rule.WithKeptContacts(apitest.Sys())

	kept, err := rule.LoadContactToKeep(ctx, e.Client, id)
	if err != nil {
		t.Fatal(err)
	}
	if taken, err := rule.TakeContact(ctx, e.Client, id); err != nil || taken != kept {
		t.Fatalf("TakeContact = %p, %v; want the kept row %p", taken, err, kept)
	}
	again, err := rule.TakeContact(ctx, e.Client, id)
	if err != nil || again == kept {
		t.Fatalf("a second TakeContact handed over the kept row again (%v)", err)
	}

	if _, err := rule.LoadContactToKeep(ctx, e.Client, id); err != nil {
		t.Fatal(err)
	}
	if err := e.Client.Contact.UpdateOneID(id).SetJobTitle("Changed").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if after, err := rule.TakeContact(ctx, e.Client, id); err != nil || after.JobTitle != "Changed" {
		t.Fatalf("after a change TakeContact handed over job title %q (%v), want the changed row", after.JobTitle, err)
	}

	// A change by condition drops every kept row.
	if _, err := rule.LoadContactToKeep(ctx, e.Client, id); err != nil {
		t.Fatal(err)
	}
	if err := e.Client.Contact.Update().SetJobTitle("Everyone").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if after, err := rule.TakeContact(ctx, e.Client, id); err != nil || after.JobTitle != "Everyone" {
		t.Fatalf("after a bulk change TakeContact handed over job title %q (%v)", after.JobTitle, err)
	}
}
