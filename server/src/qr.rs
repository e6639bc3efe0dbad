//! The QR code of a handoff link, drawn by the server (`GET /handoff/qr.svg`) with the
//! `qrcode` crate, so that the app customers download carries no QR encoder.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::clock::now_ms;
use crate::pages::PageLanguage;
use crate::state::AppState;

/// Modules of light border around a code, as the QR specification asks.
pub const QUIET_ZONE: u32 = 4;

/// The QR code of `link` as a picture of its own (`image/svg+xml`): dark modules on white,
/// with its quiet zone, one SVG unit per module (`viewBox="0 0 33 33"` for version 2),
/// crisp edges, sized by the page. Error correction level M, the smallest version that holds
/// the link; `None` when it is too long for any.
pub fn picture(link: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .dark_color(svg::Color("#000"))
            .light_color(svg::Color("#fff"))
            .quiet_zone(true)
            .module_dimensions(1, 1)
            .build(),
    )
}

/// `GET /handoff/qr.svg`: the QR code of the customer's unused code, a picture of its link
/// (`?lang=` carried on, as on the Continue page). Drawn here so that the app customers
/// download carries no QR encoder. 404 when there is no such code: the app shows the link
/// as text either way.
pub async fn qr_picture(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let session = match state.sessions.require(&headers).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = now_ms();
    let unused = match state.handoffs.unused(&session.customer_guid, now).await {
        Ok(unused) => unused,
        Err(e) => return crate::backend::ApiError::from(e).into_response(),
    };
    let (Some(code), Some(origin)) = (unused, public_origin(&state, &uri, &headers)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let lang = crate::handoff::named_language(query.as_deref());
    let link = [
        origin.as_str(),
        "/handoff/",
        &code,
        PageLanguage::carried(lang),
    ]
    .concat();
    let Some(picture) = picture(&link) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        picture,
    )
        .into_response()
}

/// The origin customers open: the configured one (`KYC_PUBLIC_URL`, which https needs),
/// else plain http on this request's host (`Host`, or HTTP/2's authority), when that is a
/// plain host name or address with a port; anything else is not drawn into a link.
fn public_origin(state: &AppState, uri: &axum::http::Uri, headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = &state.config.public_origin {
        return Some(origin.clone());
    }
    let host = match headers.get(header::HOST) {
        Some(host) => host.to_str().ok()?,
        None => uri.authority()?.as_str(),
    };
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    plain.then(|| ["http://", host].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules of a drawn picture, read back from its path (`M x y h w v h H x V y`
    /// rectangles, as the crate writes them), with the side of its viewBox.
    fn modules(picture: &str) -> (usize, Vec<bool>) {
        let view_box = picture
            .split_once(r#"viewBox="0 0 "#)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(sides, _)| sides)
            .expect("a viewBox");
        let (w, h) = view_box.split_once(' ').unwrap();
        assert_eq!(w, h, "square");
        let side: usize = w.parse().unwrap();
        let path = picture
            .split_once(r#" d=""#)
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(d, _)| d)
            .expect("a path");
        let mut dark = vec![false; side * side];
        for rect in path.split('M').filter(|r| !r.is_empty()) {
            let numbers: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .map(|n| n.parse().unwrap())
                .collect();
            let [x, y, w, h, ..] = numbers[..] else {
                panic!("a rectangle: {rect}")
            };
            for row in y..y + h {
                for column in x..x + w {
                    dark[row * side + column] = true;
                }
            }
        }
        (side, dark)
    }

    /// What a phone's camera reads from the picture.
    fn decode(picture: &str) -> String {
        let (side, dark) = modules(picture);
        let scale = 4;
        let px = side * scale;
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            if dark[(y / scale) * side + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        let (meta, content) = grids[0].decode().expect("decodes");
        assert_eq!(meta.ecc_level, 0, "level M");
        content
    }

    #[test]
    fn the_picture_reads_back_as_its_link() {
        let base = "https://kyc.example.com/handoff/";
        for link in [
            format!("{base}AbCdEfGhIjKlMnOpQrStUvWxYz0"),
            format!("{base}AbCdEfGhIjKlMnOpQrStUvWxYz0?lang=fr-CA"),
            format!("http://127.0.0.1:8080/handoff/{}", "x".repeat(180)),
        ] {
            assert_eq!(decode(&picture(&link).unwrap()), link);
        }
        assert_eq!(picture(&"x".repeat(4000)), None, "too long for any version");
    }

    #[test]
    fn dark_modules_on_white_inside_the_quiet_zone() {
        let link = "http://127.0.0.1:8080/handoff/AbCdEfGhIjKlMnOpQrStUvWxYz0";
        let svg = picture(link).unwrap();
        let width = QrCode::with_error_correction_level(link, EcLevel::M)
            .unwrap()
            .width();
        let side = width + 2 * QUIET_ZONE as usize;
        // One unit per module, and the quiet zone on each side.
        assert!(
            svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)),
            "{svg}"
        );
        assert!(svg.contains(&format!(
            r##"width="{side}" height="{side}" fill="#fff"/>"##
        )));
        assert!(svg.contains(r#"shape-rendering="crispEdges""#));
        assert!(svg.contains(r##"<path fill="#000" d="M"##));
        assert!(svg.ends_with("</svg>"));
        let (drawn, dark) = modules(&svg);
        assert_eq!(drawn, side);
        let quiet = QUIET_ZONE as usize;
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (x, y) = (i % side, i / side);
            assert!((quiet..side - quiet).contains(&x) && (quiet..side - quiet).contains(&y));
        }
        // The finder pattern's corner module is dark.
        assert!(dark[quiet * side + quiet]);
    }
}
