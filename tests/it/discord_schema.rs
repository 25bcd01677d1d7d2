//! Request bodies checked against Discord's own OpenAPI description: the
//! schemas of the operations breachdesk calls, copied with their source into
//! `fixtures/discord-openapi-subset.json`, validated with `jsonschema`.

use std::collections::HashMap;

use serde_json::{Value, json};

/// A validator per operation ("PUT /applications/{application_id}/commands").
pub struct Schemas {
    validators: HashMap<String, jsonschema::Validator>,
}

impl Schemas {
    /// The bundled subset. A missing or unreadable fixture is a broken test setup.
    pub fn load() -> Schemas {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/discord-openapi-subset.json");
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let components = spec["components"].clone();
        let validators = spec["requests"]
            .as_object()
            .expect("the fixture lists request schemas")
            .iter()
            .map(|(op, schema)| {
                // One document per operation: its body's schema, with the
                // components beside it so "#/components/schemas/X" resolves.
                let document = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "allOf": [schema],
                    "components": components,
                });
                let validator = jsonschema::draft202012::new(&document)
                    .unwrap_or_else(|e| panic!("the schema of {op} does not compile: {e}"));
                (op.clone(), validator)
            })
            .collect();
        Schemas { validators }
    }

    /// Why Discord would refuse `body` for operation `op`, as the `errors`
    /// object of its 50035 answer (by field path, e.g. `embeds.0.title`);
    /// `None` when the body is valid. An operation without a schema is a
    /// broken test setup.
    pub fn errors(&self, op: &str, body: &Value) -> Option<Value> {
        let validator = self.validators.get(op).unwrap_or_else(|| panic!("no schema for {op}"));
        let mut errors = serde_json::Map::new();
        for e in validator.iter_errors(body) {
            let path = e.instance_path().to_string().trim_start_matches('/').replace('/', ".");
            let field = errors
                .entry(if path.is_empty() { "_body".to_string() } else { path })
                .or_insert(json!({ "_errors": [] }));
            field["_errors"]
                .as_array_mut()
                .expect("a list")
                .push(json!({ "code": "SCHEMA_INVALID", "message": e.to_string() }));
        }
        (!errors.is_empty()).then_some(Value::Object(errors))
    }
}
