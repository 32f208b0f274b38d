//! Every language has every message, each file parses, and every message
//! formats in its own language: a key missing in any language fails here,
//! not on a visitor's page.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// Each language's folder and the ids of its messages (with their
/// attributes as `id.attribute`) and the variables each one uses.
fn messages_by_language() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let root =
        Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("locales");
    let mut languages = BTreeMap::new();
    for folder in entries(&root).into_iter().filter(|path| path.is_dir()) {
        let tag = folder
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .expect("a language folder has a name");
        let mut messages = BTreeMap::new();
        let files = entries(&folder)
            .into_iter()
            .filter(|path| path.extension().is_some_and(|ext| ext == "ftl"));
        for file in files {
            let source = fs::read_to_string(&file).expect("message files are readable");
            let resource = fluent_syntax::parser::parse(source.as_str())
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
            for entry in resource.body {
                match entry {
                    Entry::Message(message) => {
                        let id = message.id.name.to_owned();
                        let mut variables = BTreeSet::new();
                        if let Some(value) = &message.value {
                            collect_variables(value, &mut variables);
                        }
                        for attribute in &message.attributes {
                            let mut of_attribute = BTreeSet::new();
                            collect_variables(&attribute.value, &mut of_attribute);
                            messages.insert(format!("{id}.{}", attribute.id.name), of_attribute);
                        }
                        let earlier = messages.insert(id.clone(), variables);
                        assert!(earlier.is_none(), "{tag}: {id} is written twice");
                    }
                    Entry::Junk { content } => {
                        panic!("{}: cannot read {content:?}", file.display())
                    }
                    _ => {}
                }
            }
        }
        languages.insert(tag, messages);
    }
    languages
}

fn entries(folder: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(folder)
        .expect("the folder is readable")
        .map(|entry| entry.expect("an entry is readable").path())
        .collect();
    paths.sort();
    paths
}

fn collect_variables(pattern: &Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            collect_from_expression(expression, into);
        }
    }
}

fn collect_from_expression(expression: &Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => collect_from_inline(inline, into),
        Expression::Select { selector, variants } => {
            collect_from_inline(selector, into);
            for variant in variants {
                collect_variables(&variant.value, into);
            }
        }
    }
}

fn collect_from_inline(inline: &InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                collect_from_inline(argument, into);
            }
        }
        InlineExpression::Placeable { expression } => collect_from_expression(expression, into),
        _ => {}
    }
}

#[test]
fn every_language_has_every_message_of_english_and_no_other() {
    let languages = messages_by_language();
    let english = languages.get("en").expect("English is the reference");
    assert!(languages.len() >= 2, "English and German at least");
    let mut problems = Vec::new();
    for (tag, messages) in &languages {
        for id in english.keys().filter(|id| !messages.contains_key(*id)) {
            problems.push(format!("{tag}: {id} is missing"));
        }
        for id in messages.keys().filter(|id| !english.contains_key(*id)) {
            problems.push(format!("{tag}: {id} is not an English message"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_message_uses_the_variables_english_gives_it() {
    let languages = messages_by_language();
    let english = &languages["en"];
    let mut problems = Vec::new();
    for (tag, messages) in &languages {
        for (id, variables) in messages {
            let Some(expected) = english.get(id) else {
                continue;
            };
            let unknown: Vec<_> = variables.difference(expected).collect();
            if !unknown.is_empty() {
                problems.push(format!(
                    "{tag}: {id} uses {unknown:?}, which no page passes"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_message_is_found_in_its_own_language() {
    let languages = messages_by_language();
    for (tag, messages) in &languages {
        assert_eq!(
            porthole_i18n::find(tag),
            Some(tag.as_str()),
            "{tag} is loaded"
        );
        for (id, variables) in messages.iter().filter(|(id, _)| !id.contains('.')) {
            let args: Vec<(&str, porthole_i18n::Arg<'_>)> = variables
                .iter()
                .map(|name| (name.as_str(), porthole_i18n::Arg::from(3_u32)))
                .collect();
            assert!(
                porthole_i18n::text_in_only(tag, id, &args).is_some(),
                "{tag}: {id} does not format"
            );
        }
    }
}
