//! The widget's icons, built as inline SVG with DOM calls (no markup strings).

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The waffle: a 3 x 3 grid of dots.
pub fn waffle(doc: &Document) -> Result<Element, JsValue> {
    let svg = svg(doc)?;
    for y in ["4", "10", "16"] {
        for x in ["4", "10", "16"] {
            let dot = doc.create_element_ns(Some(SVG_NS), "circle")?;
            dot.set_attribute("cx", x)?;
            dot.set_attribute("cy", y)?;
            dot.set_attribute("r", "2.2")?;
            svg.append_child(&dot)?;
        }
    }
    Ok(svg)
}

/// The hub: a ring around a dot, with three spokes.
pub fn hub(doc: &Document) -> Result<Element, JsValue> {
    let svg = svg(doc)?;
    let ring = doc.create_element_ns(Some(SVG_NS), "path")?;
    ring.set_attribute(
        "d",
        "M10 1.5a8.5 8.5 0 1 0 0 17a8.5 8.5 0 1 0 0-17zm0 2a6.5 6.5 0 1 1 0 13a6.5 6.5 0 1 1 0-13z",
    )?;
    svg.append_child(&ring)?;
    let hub = doc.create_element_ns(Some(SVG_NS), "circle")?;
    hub.set_attribute("cx", "10")?;
    hub.set_attribute("cy", "10")?;
    hub.set_attribute("r", "3")?;
    svg.append_child(&hub)?;
    Ok(svg)
}

fn svg(doc: &Document) -> Result<Element, JsValue> {
    let svg = doc.create_element_ns(Some(SVG_NS), "svg")?;
    svg.set_attribute("viewBox", "0 0 20 20")?;
    svg.set_attribute("aria-hidden", "true")?;
    svg.set_attribute("focusable", "false")?;
    Ok(svg)
}
