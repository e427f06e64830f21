//! quick
#[test]
fn bank_parses() {
    let text = std::fs::read_to_string("../../examples/bank-inbound-manila.toml").unwrap();
    match pacta_contract::parse_str(&text) {
        Ok(c) => {
            eprintln!("ok {}", c.doc.slas.len());
        }
        Err(es) => {
            for e in es {
                eprintln!("{e} {:?}", e.path.as_ref().map(|p| p.to_string()));
            }
            panic!()
        }
    }
}
