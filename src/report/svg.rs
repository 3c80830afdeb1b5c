//! The revision graph of `ddlc report` as an inline SVG: one row per
//! revision in the order they run, one lane per line of development, a line
//! from each parent to its child (branches leave their parent's lane, merges
//! join it), and each node a link to its revision's section.
//!
//! Lanes are given greedily in run order: a revision continues its first
//! parent's lane when it is that parent's first child; otherwise it takes
//! the leftmost lane free from its earliest parent's row down to its last
//! child's row, so no two lines of development overlap.

use super::text::escape;

/// One revision as the graph sees it.
#[derive(Clone, Debug)]
pub struct GraphNode {
    /// Its id (and the anchor `rev-<id>`).
    pub id: String,
    /// Its message, shortened for the label.
    pub message: String,
    /// Rows (indexes into the node list) of its parents that are in the list.
    pub parents: Vec<usize>,
    /// Rows of its `depends_on` revisions that are in the list (drawn dashed).
    pub depends: Vec<usize>,
}

/// Vertical distance between rows, in SVG units.
const ROW: usize = 34;
/// Horizontal distance between lanes.
const LANE: usize = 22;
/// Margin around the drawing.
const PAD: usize = 14;
/// The longest message shown beside a node, in chars.
const LABEL_CHARS: usize = 44;

/// The SVG for `nodes` (in run order: every parent before its children).
pub fn render(nodes: &[GraphNode]) -> String {
    let lanes = assign_lanes(nodes);
    let width_lanes = lanes.iter().max().map_or(1, |&l| l + 1);
    let text_x = PAD + width_lanes * LANE + 6;
    // Monospace at 13px is under 8 units a char: the id, a space, the label.
    let width = text_x + (13 + LABEL_CHARS + 1) * 8 + PAD;
    let height = PAD * 2 + nodes.len().max(1) * ROW - ROW / 2;
    let x = |row: usize| PAD + lanes[row] * LANE + LANE / 2;
    let y = |row: usize| PAD + row * ROW + ROW / 4;
    let merges = nodes.iter().filter(|n| n.parents.len() > 1).count();
    let branches = width_lanes.saturating_sub(1);
    let mut out = format!(
        "<svg class=\"graph\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" aria-labelledby=\"graph-title\">\n\
         <title id=\"graph-title\">Revision graph: {} revisions in {} lanes, {merges} merges</title>\n",
        nodes.len(),
        branches + 1
    );
    for (row, node) in nodes.iter().enumerate() {
        for &parent in &node.parents {
            out.push_str(&edge(&lanes, nodes, |r| (x(r), y(r)), parent, row));
        }
        for &on in &node.depends {
            let ((dx, dy), (cx, cy)) = ((x(on), y(on)), (x(row), y(row)));
            let mid = (dy + cy) / 2;
            out.push_str(&format!(
                "<path class=\"edge dep\" d=\"M{dx} {dy}C{dx} {mid} {cx} {mid} {cx} {cy}\"><title>depends on</title></path>\n"
            ));
        }
    }
    for (row, node) in nodes.iter().enumerate() {
        let id = escape(&node.id);
        let label = escape(&shorten(&node.message));
        let shape = match node.parents.len() {
            0 | 1 => format!("<circle cx=\"{}\" cy=\"{}\" r=\"6\"/>", x(row), y(row)),
            _ => format!(
                "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" transform=\"rotate(45 {} {})\"/>",
                x(row) - 6,
                y(row) - 6,
                x(row),
                y(row)
            ),
        };
        out.push_str(&format!(
            "<a href=\"#rev-{id}\"><g class=\"lane{}\">{shape}</g>\
             <text x=\"{text_x}\" y=\"{}\"><tspan class=\"id\">{id}</tspan> {label}</text></a>\n",
            lanes[row] % 6,
            y(row) + 4
        ));
    }
    out.push_str("</svg>");
    out
}

/// The line from a parent at (`px`, `py`) to its child at (`cx`, `cy`):
/// straight in one lane; leaving the parent at once when the child's lane
/// starts at this parent (a branch); joining the child at the last moment
/// otherwise (a merge), so the parent's lane carries it down.
fn edge(
    lanes: &[usize],
    nodes: &[GraphNode],
    at: impl Fn(usize) -> (usize, usize),
    parent: usize,
    row: usize,
) -> String {
    let ((px, py), (cx, cy)) = (at(parent), at(row));
    if lanes[parent] == lanes[row] {
        return format!(
            "<path class=\"edge lane{}\" d=\"M{px} {py}V{cy}\"/>\n",
            lanes[row] % 6
        );
    }
    let parents = &nodes[row].parents;
    let continues = parents.iter().any(|&p| lanes[p] == lanes[row]);
    let bend = ROW / 2;
    if !continues && parents.iter().copied().min() == Some(parent) {
        let turn = py + bend;
        format!(
            "<path class=\"edge lane{}\" d=\"M{px} {py}C{px} {turn} {cx} {py} {cx} {turn}V{cy}\"/>\n",
            lanes[row] % 6
        )
    } else {
        let turn = cy - bend;
        format!(
            "<path class=\"edge lane{}\" d=\"M{px} {py}V{turn}C{px} {cy} {cx} {turn} {cx} {cy}\"/>\n",
            lanes[parent] % 6
        )
    }
}

/// The lane of each node (see the module doc).
fn assign_lanes(nodes: &[GraphNode]) -> Vec<usize> {
    let mut last_child = (0..nodes.len()).collect::<Vec<usize>>();
    let mut first_child: Vec<Option<usize>> = vec![None; nodes.len()];
    for (row, node) in nodes.iter().enumerate() {
        for &p in &node.parents {
            last_child[p] = last_child[p].max(row);
            first_child[p].get_or_insert(row);
        }
    }
    // Per lane, the row intervals taken and by which node.
    let mut taken: Vec<Vec<(usize, usize, usize)>> = Vec::new();
    let free = |taken: &[(usize, usize, usize)], (a, b): (usize, usize), except: Option<usize>| {
        taken
            .iter()
            .all(|&(x, y, owner)| Some(owner) == except || b < x || y < a)
    };
    let mut lanes: Vec<usize> = Vec::with_capacity(nodes.len());
    for (row, node) in nodes.iter().enumerate() {
        let span = (row, last_child[row]);
        let continued = node
            .parents
            .first()
            .copied()
            .filter(|&p| first_child[p] == Some(row))
            .filter(|&p| free(&taken[lanes[p]], span, Some(p)));
        let lane = match continued {
            Some(p) => lanes[p],
            None => {
                let start = node.parents.iter().copied().min().unwrap_or(row);
                let span = (start, last_child[row]);
                let lane = (0..taken.len())
                    .find(|&l| free(&taken[l], span, None))
                    .unwrap_or(taken.len());
                if lane == taken.len() {
                    taken.push(Vec::new());
                }
                taken[lane].push((span.0, span.1, row));
                lanes.push(lane);
                continue;
            }
        };
        taken[lane].push((span.0, span.1, row));
        lanes.push(lane);
    }
    lanes
}

/// `text` cut to [`LABEL_CHARS`] chars, with `…` when cut.
fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(LABEL_CHARS) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parents: &[usize]) -> GraphNode {
        GraphNode {
            id: id.into(),
            message: format!("m {id}"),
            parents: parents.to_vec(),
            depends: Vec::new(),
        }
    }

    #[test]
    fn a_branch_takes_a_lane_and_the_merge_returns() {
        // a; b and c both revise a; d merges b and c; e after d.
        let nodes = [
            node("a", &[]),
            node("b", &[0]),
            node("c", &[0]),
            node("d", &[1, 2]),
            node("e", &[3]),
        ];
        assert_eq!(assign_lanes(&nodes), [0, 0, 1, 0, 0]);
    }

    #[test]
    fn lanes_do_not_overlap_a_line_still_running() {
        // a; b revises a; c revises a (lane 1 from a's row); d revises b, e revises c.
        let nodes = [
            node("a", &[]),
            node("b", &[0]),
            node("c", &[0]),
            node("d", &[1]),
            node("e", &[2]),
            node("f", &[]),
        ];
        let lanes = assign_lanes(&nodes);
        assert_eq!(&lanes[..5], [0, 0, 1, 0, 1]);
        // A second root after both lines end reuses the first lane.
        assert_eq!(lanes[5], 0);
    }

    #[test]
    fn labels_are_escaped_and_nodes_link_to_their_sections() {
        let svg = render(&[
            node("a1", &[]),
            GraphNode {
                id: "b2".into(),
                message: "</text><script>".into(),
                parents: vec![0],
                depends: Vec::new(),
            },
        ]);
        assert!(svg.contains("href=\"#rev-b2\""));
        assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
    }
}
