package abi

// Manifest is the self-description a guest returns from walker_manifest, as
// JSON with the field names below. See ABI.md "Manifest".
type Manifest struct {
	ABI       int        `json:"abi"`
	SDK       string     `json:"sdk"`
	Nodes     []TypeDecl `json:"nodes"`
	Edges     []TypeDecl `json:"edges"`
	Walkers   []Entry    `json:"walkers"`
	Functions []Entry    `json:"functions"`
}

// TypeDecl declares a node or edge type. Its position in Manifest.Nodes or
// Manifest.Edges, plus one, is its type id.
type TypeDecl struct {
	Name   string  `json:"name"`
	Fields []Field `json:"fields"`
}

// Field is a typed field of a walker, a function or a node or edge type.
type Field struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Required bool   `json:"required,omitempty"`
	Default  any    `json:"default,omitempty"`
	// Items is the type of a list's elements: string, int, float or bool;
	// empty for a list of any values.
	Items string `json:"items,omitempty"`
	// Doc describes the field (the OpenAPI description).
	Doc string `json:"doc,omitempty"`
}

// Entry declares a walker or a function and how HTTP reaches it.
type Entry struct {
	Name    string  `json:"name"`
	Access  string  `json:"access"`
	Method  string  `json:"method"`
	Path    string  `json:"path,omitempty"`
	Webhook bool    `json:"webhook,omitempty"`
	Fields  []Field `json:"fields"`
	Returns string  `json:"returns,omitempty"`
	// Doc describes the walker or function (the OpenAPI description).
	Doc string `json:"doc,omitempty"`
}

// Field types. See ABI.md "Manifest".
const (
	TypeString = "string"
	TypeInt    = "int"
	TypeFloat  = "float"
	TypeBool   = "bool"
	TypeList   = "list"
	TypeObject = "object"
	TypeAnyVal = "any"
	// TypeFile is an uploaded file, a field of walkers and functions only;
	// it has no default. See ABI.md "Uploads".
	TypeFile = "file"
)

// ItemTypes lists every valid Field.Items of a list field.
var ItemTypes = []string{TypeString, TypeInt, TypeFloat, TypeBool}

// FieldTypes lists every valid Field.Type.
var FieldTypes = []string{TypeString, TypeInt, TypeFloat, TypeBool, TypeList, TypeObject, TypeAnyVal, TypeFile}

// Access levels of an Entry.
const (
	AccessPublic    = "public"
	AccessProtected = "protected"
	AccessPrivate   = "private"
)
