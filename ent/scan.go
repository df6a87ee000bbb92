package ent

import "entgo.io/ent/dialect/sql"

// reuseScanValues returns a ScanValues that hands every row of a query the same values to scan
// into. ent scans a row, then Assign copies each value out into the new node (a string, a
// number, a time; a JSON field's bytes are decoded), before the next row is scanned: fresh
// values for each row were a third of what a page of a thousand contacts allocated. A query
// selecting a column ent does not know (a modifier's) keeps fresh values for every row, since
// the node holds on to those (selectValues).
func reuseScanValues(fresh func(columns []string) ([]any, error)) func(columns []string) ([]any, error) {
	if fresh == nil {
		return nil
	}
	var reused []any
	return func(columns []string) ([]any, error) {
		if reused != nil {
			return reused, nil
		}
		values, err := fresh(columns)
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			if _, unknown := v.(*sql.UnknownType); unknown {
				return values, nil
			}
		}
		reused = values
		return values, nil
	}
}
