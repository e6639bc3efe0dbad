//! A small QR code encoder for the handoff link: byte mode, error correction level M,
//! versions 1 to 10 (up to 213 bytes), with the mask chosen by the standard's penalty rules.
//! Written for this app because a general QR crate cost 13 KB of gzipped wasm.

/// Error-correction codewords per block, level M, versions 1 to 10.
const ECC_PER_BLOCK: [usize; 10] = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26];
/// Number of blocks, level M, versions 1 to 10.
const BLOCKS: [usize; 10] = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5];
/// Format bits of level M (`00`).
const LEVEL_BITS: u32 = 0;

/// Modules of white border around a code, as the QR specification asks.
pub const QUIET_ZONE: usize = 4;

/// A QR code: a square of modules, `true` for dark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrCode {
    size: usize,
    modules: Vec<bool>,
}

impl QrCode {
    /// The side in modules (21 for version 1, four more per version).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn dark(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.size + x]
    }

    /// Encodes `data` in the smallest version that holds it; `None` when it is too long.
    pub fn encode(data: &[u8]) -> Option<QrCode> {
        let version = (1..=10).find(|&v| data.len() <= capacity(v))?;
        let codewords = add_ecc(&data_codewords(data, version), version);
        let mut qr = Canvas::new(version);
        qr.draw_function_patterns();
        qr.draw_codewords(&codewords);
        let best = (0..8)
            .min_by_key(|&mask| {
                let mut trial = qr.clone();
                trial.apply_mask(mask);
                trial.draw_format(mask);
                trial.penalty()
            })
            .unwrap_or(0);
        qr.apply_mask(best);
        qr.draw_format(best);
        Some(QrCode {
            size: qr.size,
            modules: qr.dark,
        })
    }

    /// The code as a picture of its own (`image/svg+xml`), white, with its quiet zone.
    pub fn svg(&self) -> String {
        let side = (self.size + 2 * QUIET_ZONE).to_string();
        [
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#,
            &side,
            " ",
            &side,
            r#"" shape-rendering="crispEdges"><rect width=""#,
            &side,
            r#"" height=""#,
            &side,
            r##"" fill="#fff"/><path d=""##,
            &self.svg_path(QUIET_ZONE),
            r##"" fill="#000"/></svg>"##,
        ]
        .concat()
    }

    /// An SVG path of the dark modules, offset by a quiet zone of `border` modules.
    pub fn svg_path(&self, border: usize) -> String {
        let mut path = String::new();
        for y in 0..self.size {
            for x in 0..self.size {
                if self.dark(x, y) {
                    path.push('M');
                    path.push_str(&(x + border).to_string());
                    path.push(' ');
                    path.push_str(&(y + border).to_string());
                    path.push_str("h1v1h-1z");
                }
            }
        }
        path
    }
}

fn raw_data_modules(version: usize) -> usize {
    let mut n = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if version >= 7 {
            n -= 36;
        }
    }
    n
}

fn data_capacity_codewords(version: usize) -> usize {
    raw_data_modules(version) / 8 - ECC_PER_BLOCK[version - 1] * BLOCKS[version - 1]
}

/// Bytes that fit in a version, after the mode indicator and the length (8 bits up to
/// version 9, 16 from version 10).
fn capacity(version: usize) -> usize {
    data_capacity_codewords(version) - if version <= 9 { 2 } else { 3 }
}

/// Mode, length, data, terminator and padding, as codewords.
fn data_codewords(data: &[u8], version: usize) -> Vec<u8> {
    fn push(bits: &mut Vec<bool>, value: u32, len: u32) {
        for i in (0..len).rev() {
            bits.push((value >> i) & 1 == 1);
        }
    }
    let mut bits: Vec<bool> = Vec::new();
    push(&mut bits, 0b0100, 4);
    push(
        &mut bits,
        data.len() as u32,
        if version <= 9 { 8 } else { 16 },
    );
    for &b in data {
        push(&mut bits, u32::from(b), 8);
    }
    let capacity_bits = data_capacity_codewords(version) * 8;
    let terminator = (capacity_bits - bits.len()).min(4) as u32;
    push(&mut bits, 0, terminator);
    let pad_bits = ((8 - bits.len() % 8) % 8) as u32;
    push(&mut bits, 0, pad_bits);
    let mut bytes: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b)))
        .collect();
    let mut pad = [0xEC, 0x11].into_iter().cycle();
    while bytes.len() < data_capacity_codewords(version) {
        bytes.push(pad.next().unwrap_or(0xEC));
    }
    bytes
}

fn gf_multiply(x: u8, y: u8) -> u8 {
    let mut z: u16 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= ((u16::from(y) >> i) & 1) * u16::from(x);
    }
    z as u8
}

/// The Reed-Solomon generator of the given degree.
fn rs_divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    result[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = gf_multiply(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = gf_multiply(root, 0x02);
    }
    result
}

fn rs_remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for &b in data {
        let factor = b ^ result.remove(0);
        result.push(0);
        for (r, &d) in result.iter_mut().zip(divisor) {
            *r ^= gf_multiply(d, factor);
        }
    }
    result
}

/// Splits into blocks, adds error correction, interleaves.
fn add_ecc(data: &[u8], version: usize) -> Vec<u8> {
    let blocks = BLOCKS[version - 1];
    let ecc_len = ECC_PER_BLOCK[version - 1];
    let raw = raw_data_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks;
    let divisor = rs_divisor(ecc_len);
    let mut all: Vec<Vec<u8>> = Vec::new();
    let mut k = 0;
    for i in 0..blocks {
        let data_len = short_len - ecc_len + usize::from(i >= short_blocks);
        let mut block = data[k..k + data_len].to_vec();
        k += data_len;
        let ecc = rs_remainder(&block, &divisor);
        if i < short_blocks {
            block.push(0);
        }
        block.extend(ecc);
        all.push(block);
    }
    let mut result = Vec::with_capacity(raw);
    for i in 0..all[0].len() {
        for (j, block) in all.iter().enumerate() {
            if i != short_len - ecc_len || j >= short_blocks {
                result.push(block[i]);
            }
        }
    }
    result
}

/// The modules while drawing: dark or light, and which belong to function patterns.
#[derive(Clone)]
struct Canvas {
    version: usize,
    size: usize,
    dark: Vec<bool>,
    function: Vec<bool>,
}

impl Canvas {
    fn new(version: usize) -> Canvas {
        let size = version * 4 + 17;
        Canvas {
            version,
            size,
            dark: vec![false; size * size],
            function: vec![false; size * size],
        }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.dark[i] = dark;
        self.function[i] = true;
    }

    fn alignment_positions(&self) -> Vec<usize> {
        if self.version == 1 {
            return Vec::new();
        }
        let count = self.version / 7 + 2;
        let step = (self.version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
        let mut positions: Vec<usize> = (0..count - 1).map(|i| self.size - 7 - i * step).collect();
        positions.push(6);
        positions.reverse();
        positions
    }

    fn draw_function_patterns(&mut self) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
                        let d = dx.abs().max(dy.abs());
                        self.set_function(x as usize, y as usize, d != 2 && d != 4);
                    }
                }
            }
        }
        let positions = self.alignment_positions();
        let last = positions.len().saturating_sub(1);
        for (i, &cx) in positions.iter().enumerate() {
            for (j, &cy) in positions.iter().enumerate() {
                // The three corners hold finder patterns.
                let corner = (i == 0 && (j == 0 || j == last)) || (i == last && j == 0);
                if corner {
                    continue;
                }
                for dy in -2i32..=2 {
                    for dx in -2i32..=2 {
                        let d = dx.abs().max(dy.abs());
                        self.set_function(
                            (cx as i32 + dx) as usize,
                            (cy as i32 + dy) as usize,
                            d != 1,
                        );
                    }
                }
            }
        }
        // Reserve the format areas (drawn for real with the mask) and the version blocks.
        self.draw_format(0);
        if self.version >= 7 {
            let mut rem = self.version as u32;
            for _ in 0..12 {
                rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
            }
            let bits = (self.version as u32) << 12 | rem;
            for i in 0..18 {
                let dark = (bits >> i) & 1 == 1;
                let (a, b) = (size - 11 + i % 3, i / 3);
                self.set_function(a, b, dark);
                self.set_function(b, a, dark);
            }
        }
    }

    fn draw_format(&mut self, mask: u32) {
        let data = LEVEL_BITS << 3 | mask;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = (data << 10 | rem) ^ 0x5412;
        let bit = |i: u32| (bits >> i) & 1 == 1;
        let size = self.size;
        for i in 0..=5 {
            self.set_function(8, i, bit(i as u32));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i as u32));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i, 8, bit(i as u32));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i, bit(i as u32));
        }
        self.set_function(8, size - 8, true);
    }

    fn draw_codewords(&mut self, codewords: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size as i32 - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = (right - j) as usize;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { size - 1 - vert } else { vert };
                    if !self.function[y * size + x] && i < codewords.len() * 8 {
                        self.dark[y * size + x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1;
                        i += 1;
                    }
                }
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u32) {
        for y in 0..self.size {
            for x in 0..self.size {
                let flip = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let i = y * self.size + x;
                if flip && !self.function[i] {
                    self.dark[i] = !self.dark[i];
                }
            }
        }
    }

    /// The standard's penalty score: runs, 2x2 blocks, finder-like patterns, balance.
    fn penalty(&self) -> usize {
        let size = self.size;
        let at = |x: usize, y: usize, transpose: bool| {
            if transpose {
                self.dark[x * size + y]
            } else {
                self.dark[y * size + x]
            }
        };
        let mut score = 0;
        for transpose in [false, true] {
            for y in 0..size {
                let line: Vec<bool> = (0..size).map(|x| at(x, y, transpose)).collect();
                let mut run = 1;
                for x in 1..=size {
                    if x < size && line[x] == line[x - 1] {
                        run += 1;
                    } else {
                        if run >= 5 {
                            score += run - 2;
                        }
                        run = 1;
                    }
                }
                for x in 0..size.saturating_sub(10) {
                    let window: Vec<bool> = line[x..x + 11].to_vec();
                    let finder = [true, false, true, true, true, false, true];
                    let quiet = [false; 4];
                    if (window[..7] == finder && window[7..] == quiet)
                        || (window[..4] == quiet && window[4..] == finder)
                    {
                        score += 40;
                    }
                }
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = self.dark[y * size + x];
                if c == self.dark[y * size + x + 1]
                    && c == self.dark[(y + 1) * size + x]
                    && c == self.dark[(y + 1) * size + x + 1]
                {
                    score += 3;
                }
            }
        }
        let dark = self.dark.iter().filter(|&&d| d).count();
        let total = size * size;
        let k = (dark * 20)
            .abs_diff(total * 10)
            .div_ceil(total)
            .saturating_sub(1);
        score + k * 10
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn decode(qr: &QrCode) -> String {
        let scale = 4;
        let border = 4;
        let side = (qr.size() + 2 * border) * scale;
        let img = image_like(side, |px, py| {
            let (x, y) = (px / scale, py / scale);
            x >= border
                && y >= border
                && x - border < qr.size()
                && y - border < qr.size()
                && qr.dark(x - border, y - border)
        });
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| img[y * side + x]);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        grids[0].decode().expect("decodes").1
    }

    fn image_like(side: usize, dark: impl Fn(usize, usize) -> bool) -> Vec<u8> {
        (0..side * side)
            .map(|i| if dark(i % side, i / side) { 0 } else { 255 })
            .collect()
    }

    #[test]
    fn encodes_what_a_decoder_reads_back_in_every_version() {
        let mut texts: Vec<String> = vec![
            "http://127.0.0.1:8080/handoff/Vh3o0-5qk2BwtHkq7pYl9cTz1Aw".into(),
            "https://kyc.example-fintech.com/handoff/AbCdEfGhIjKlMnOpQrStUvWxYz0".into(),
            "x".into(),
        ];
        for v in 1..=10 {
            texts.push("a".repeat(capacity(v)));
        }
        for text in texts {
            let qr = QrCode::encode(text.as_bytes()).unwrap();
            assert_eq!(decode(&qr), text, "version with side {}", qr.size());
        }
    }

    #[test]
    fn picks_the_smallest_version_and_refuses_too_much() {
        assert_eq!(QrCode::encode(b"hello").unwrap().size(), 21);
        assert_eq!(capacity(1), 14);
        assert_eq!(capacity(10), 213);
        assert_eq!(QrCode::encode(&[b'a'; 15]).unwrap().size(), 25);
        assert!(QrCode::encode(&[b'a'; 214]).is_none());
    }

    #[test]
    fn draws_an_svg_path_inside_the_quiet_zone() {
        let qr = QrCode::encode(b"https://example.com").unwrap();
        let path = qr.svg_path(4);
        assert!(
            path.starts_with("M4 4h1v1h-1z"),
            "the finder's top-left corner is dark"
        );
        assert_eq!(
            path.matches('M').count(),
            qr.modules.iter().filter(|d| **d).count()
        );
    }

    #[test]
    fn a_picture_is_the_path_on_white_with_the_quiet_zone_around() {
        let qr = QrCode::encode(b"https://example.com").unwrap();
        let side = qr.size() + 2 * QUIET_ZONE;
        assert_eq!(side, 33, "version 2 and the border");
        let svg = qr.svg();
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 33 33""#));
        assert!(svg.contains(r##"<rect width="33" height="33" fill="#fff"/>"##));
        assert!(svg.contains(&format!(
            r##"<path d="{}" fill="#000"/>"##,
            qr.svg_path(QUIET_ZONE)
        )));
        assert!(svg.ends_with("</svg>"));
    }
}
