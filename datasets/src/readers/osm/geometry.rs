//! Where a way or multipolygon is placed: its centroid, from the node coordinates of pass 3.

use crate::facility::check_lonlat;
use geo::{
    BoundingRect, Centroid, Coord, LineString, MultiLineString, MultiPolygon, Polygon, Rect,
};
use std::collections::HashMap;

/// Why a way or multipolygon could not be placed (both are [`Reject::BadCoordinate`]; the
/// report's notes tell them apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unplaceable {
    /// A node or member way is not in the extract (clipped at its border, or a broken file).
    Incomplete,
    /// No nodes, a node failing [`check_lonlat`], or no centroid.
    Invalid,
}

/// The coordinates of `refs`, each checked with [`check_lonlat`].
fn coords(refs: &[i64], nodes: &HashMap<i64, (f64, f64)>) -> Result<Vec<(f64, f64)>, Unplaceable> {
    if refs.is_empty() {
        return Err(Unplaceable::Invalid);
    }
    refs.iter()
        .map(|id| {
            let &(lon, lat) = nodes.get(id).ok_or(Unplaceable::Incomplete)?;
            check_lonlat(lon, lat).map_err(|_| Unplaceable::Invalid)?;
            Ok((lon, lat))
        })
        .collect()
}

/// A way's or multipolygon's point. `outline` says it is the centroid of the outline instead
/// of the area, because the area could not give one (rings that do not close, or a
/// self-intersecting ring whose area centroid lies outside the shape's bounding box).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Placed {
    pub(super) lonlat: (f64, f64),
    pub(super) outline: bool,
}

/// A way's point: the area-weighted centroid of a closed way (first node = last, at least four
/// nodes), else the length-weighted centroid of the line. Why not the mean of the nodes: a
/// park's curved edge has many nodes on one side and would pull the mean towards it.
pub(super) fn way_point(
    refs: &[i64],
    nodes: &HashMap<i64, (f64, f64)>,
) -> Result<Placed, Unplaceable> {
    let pts = coords(refs, nodes)?;
    let frame = Frame::at(pts[0]);
    let line = LineString::from(pts.iter().map(|&p| frame.to_plane(p)).collect::<Vec<_>>());
    let area = is_ring(refs).then(|| Polygon::new(line.clone(), vec![]).centroid());
    place_area_or_outline(&frame, area, &line)
}

/// The area centroid if there is one and it lies within the outline's bounding box (always
/// true for a valid shape; a self-intersecting ring with near-zero area can put it anywhere),
/// else the outline's length-weighted centroid (`outline` set if an area was tried).
fn place_area_or_outline<G>(
    frame: &Frame,
    area: Option<Option<geo::Point<f64>>>,
    outline: &G,
) -> Result<Placed, Unplaceable>
where
    G: Centroid<Output = Option<geo::Point<f64>>> + BoundingRect<f64>,
{
    let bbox: Option<Rect<f64>> = outline.bounding_rect().into();
    if let Some(Some(c)) = area
        && let Some(b) = bbox
    {
        const EPS: f64 = 1e-9;
        let (lo, hi) = (b.min(), b.max());
        if c.x() >= lo.x - EPS && c.x() <= hi.x + EPS && c.y() >= lo.y - EPS && c.y() <= hi.y + EPS
        {
            return Ok(Placed {
                lonlat: frame.to_lonlat(c.0),
                outline: false,
            });
        }
    }
    outline
        .centroid()
        .map(|c| Placed {
            lonlat: frame.to_lonlat(c.0),
            outline: area.is_some(),
        })
        .ok_or(Unplaceable::Invalid)
}

fn is_ring(refs: &[i64]) -> bool {
    refs.len() >= 4 && refs.first() == refs.last()
}

/// A multipolygon's point: the area-weighted centroid of its outer rings, joined from the
/// outer member ways; inner rings (holes) are ignored, as they move the point little. If the
/// ways do not close into rings (a broken multipolygon), the length-weighted centroid of the
/// outline (`outline` set).
pub(super) fn multipolygon_point(
    outer: &[i64],
    ways: &HashMap<i64, Vec<i64>>,
    nodes: &HashMap<i64, (f64, f64)>,
) -> Result<Placed, Unplaceable> {
    if outer.is_empty() {
        return Err(Unplaceable::Invalid);
    }
    let members: Vec<Vec<i64>> = outer
        .iter()
        .map(|id| ways.get(id).cloned().ok_or(Unplaceable::Incomplete))
        .collect::<Result<_, _>>()?;
    let rings = join_rings(members.clone());
    let closed = rings.is_some();
    let lines: Vec<Vec<(f64, f64)>> = rings
        .unwrap_or(members)
        .iter()
        .map(|refs| coords(refs, nodes))
        .collect::<Result<_, _>>()?;
    let frame = Frame::at(lines[0][0]);
    let outline = MultiLineString::new(
        lines
            .iter()
            .map(|pts| LineString::from(pts.iter().map(|&p| frame.to_plane(p)).collect::<Vec<_>>()))
            .collect(),
    );
    let area = closed.then(|| {
        MultiPolygon::new(
            outline
                .0
                .iter()
                .map(|r| Polygon::new(r.clone(), vec![]))
                .collect(),
        )
        .centroid()
    });
    let placed = place_area_or_outline(&frame, area, &outline)?;
    Ok(Placed {
        outline: placed.outline || !closed,
        ..placed
    })
}

/// Joins ways (node id lists) end to end into closed rings, reversing ways as needed, as a
/// multipolygon's outer ways are split and drawn in either direction. `None` if any ring stays
/// open.
fn join_rings(mut pending: Vec<Vec<i64>>) -> Option<Vec<Vec<i64>>> {
    pending.retain(|w| !w.is_empty());
    let mut rings = Vec::new();
    while let Some(mut ring) = pending.pop() {
        while !is_ring(&ring) {
            let end = *ring.last()?;
            let i = pending
                .iter()
                .position(|w| w.first() == Some(&end) || w.last() == Some(&end))?;
            let mut next = pending.swap_remove(i);
            if next.first() != Some(&end) {
                next.reverse();
            }
            ring.extend_from_slice(&next[1..]);
            if ring.len() > 1 && ring.first() == ring.last() && ring.len() < 4 {
                return None; // a there-and-back line, no area
            }
        }
        rings.push(ring);
    }
    if rings.is_empty() { None } else { Some(rings) }
}

/// A local plane around a reference point, with longitude scaled by cos(latitude), so that
/// lengths (for line centroids) are true to scale; area centroids do not depend on it.
struct Frame {
    lon0: f64,
    lat0: f64,
    k: f64,
}

impl Frame {
    fn at((lon0, lat0): (f64, f64)) -> Frame {
        let k = lat0.to_radians().cos();
        Frame {
            lon0,
            lat0,
            k: if k > 1e-9 { k } else { 1.0 },
        }
    }

    fn to_plane(&self, (lon, lat): (f64, f64)) -> Coord<f64> {
        Coord {
            x: (lon - self.lon0) * self.k,
            y: lat - self.lat0,
        }
    }

    fn to_lonlat(&self, c: Coord<f64>) -> (f64, f64) {
        (self.lon0 + c.x / self.k, self.lat0 + c.y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_joined_in_either_direction() {
        let rings = join_rings(vec![vec![1, 2, 3], vec![1, 5, 4], vec![3, 4]]).expect("closes");
        assert_eq!(rings.len(), 1);
        assert!(is_ring(&rings[0]));
        assert_eq!(rings[0].len(), 6);
        assert!(join_rings(vec![vec![1, 2, 3], vec![3, 4]]).is_none());
        assert_eq!(
            join_rings(vec![vec![1, 2, 3, 1], vec![7, 8, 9, 7]]).map(|r| r.len()),
            Some(2)
        );
        assert!(join_rings(vec![vec![1, 2], vec![2, 1]]).is_none());
    }

    #[test]
    fn centroids() {
        let nodes: HashMap<i64, (f64, f64)> = [
            (1, (13.0, 51.0)),
            (2, (13.002, 51.0)),
            (3, (13.002, 51.001)),
            (4, (13.001, 51.001)),
            (5, (13.001, 51.002)),
            (6, (13.0, 51.002)),
            (7, (0.0, 0.0)),
        ]
        .into_iter()
        .collect();
        // An L: area centroid (5/6, 5/6) in 0.001° units, not the node mean (1, 1).
        let p = way_point(&[1, 2, 3, 4, 5, 6, 1], &nodes).expect("placed");
        assert!(!p.outline);
        assert!((p.lonlat.0 - 13.000_833_333).abs() < 1e-8, "{p:?}");
        assert!((p.lonlat.1 - 51.000_833_333).abs() < 1e-8, "{p:?}");
        assert_eq!(way_point(&[1, 2, 99], &nodes), Err(Unplaceable::Incomplete));
        assert_eq!(way_point(&[1, 7, 2], &nodes), Err(Unplaceable::Invalid));
        assert_eq!(way_point(&[], &nodes), Err(Unplaceable::Invalid));
        // A single node way is its node.
        assert_eq!(
            way_point(&[2], &nodes),
            Ok(Placed {
                lonlat: (13.002, 51.0),
                outline: false
            })
        );
        let ways: HashMap<i64, Vec<i64>> = [(10, vec![1, 2, 3, 4]), (11, vec![1, 6, 5, 4])]
            .into_iter()
            .collect();
        let p = multipolygon_point(&[10, 11], &ways, &nodes).expect("placed");
        assert!(!p.outline);
        assert!((p.lonlat.0 - 13.000_833_333).abs() < 1e-8, "{p:?}");
        assert!((p.lonlat.1 - 51.000_833_333).abs() < 1e-8, "{p:?}");
        assert_eq!(
            multipolygon_point(&[10, 12], &ways, &nodes),
            Err(Unplaceable::Incomplete)
        );
        let p = multipolygon_point(&[10], &ways, &nodes).expect("outline");
        assert!(p.outline);
    }

    #[test]
    fn a_self_intersecting_ring_stays_within_its_box() {
        // A bow tie whose two lobes almost cancel: the area formula divides by ~0 and would
        // put the point anywhere; the outline's centroid is used instead.
        let nodes: HashMap<i64, (f64, f64)> = [
            (1, (13.0, 51.0)),
            (2, (13.002, 51.002)),
            (3, (13.002, 51.0)),
            (4, (13.0, 51.002_000_01)),
        ]
        .into_iter()
        .collect();
        let p = way_point(&[1, 2, 3, 4, 1], &nodes).expect("placed");
        assert!(p.outline, "{p:?}");
        let (lon, lat) = p.lonlat;
        assert!(
            (13.0..=13.002).contains(&lon) && (51.0..=51.002_000_01).contains(&lat),
            "{p:?}"
        );
    }
}
