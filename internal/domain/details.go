package domain

// ContactDetails are a person's contact details as a client gives them (GraphQL
// ContactDetailsInput), kept whole where a contact does not exist yet (an access request).
type ContactDetails struct {
	Email         string  `json:"email"`
	FirstName     string  `json:"firstName"`
	LastName      string  `json:"lastName"`
	Phone         string  `json:"phone"`
	City          string  `json:"city"`
	StateProvince string  `json:"stateProvince"`
	PostalCode    string  `json:"postalCode"`
	Street        *string `json:"street,omitempty"`
	Country       *string `json:"country,omitempty"`
	JobTitle      *string `json:"jobTitle,omitempty"`
	Language      *string `json:"language,omitempty"`
}
