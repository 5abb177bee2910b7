//! Geospatial indexes: which municipality a point lies in, and how far the nearest facility is.
//!
//! Units: coordinates are WGS84 degrees (lon, lat); distances are kilometres on the WGS84
//! ellipsoid (`geo::Geodesic`). The R-trees work in a local equirectangular plane (km) only to
//! find candidates fast; every reported distance is the geodesic one.

use geo::{BoundingRect, Distance, Geodesic, Intersects, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Which municipality polygon contains a point: an R-tree over the polygons' bounding boxes,
/// then an exact point-in-polygon test on the few candidates.
pub struct MunicipalityLocator {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    polygons: Vec<MultiPolygon<f64>>,
}

impl MunicipalityLocator {
    /// Indexes the polygons; [`locate`](Self::locate) returns positions in this vector.
    pub fn new(polygons: Vec<MultiPolygon<f64>>) -> Self {
        let boxes = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let r = p.bounding_rect()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        MunicipalityLocator {
            tree: RTree::bulk_load(boxes),
            polygons,
        }
    }

    /// The polygon containing the point (a point on a shared border goes to the lowest index, so
    /// the answer is deterministic).
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        let p = Point::new(lon, lat);
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|g| g.data)
            .filter(|&i| self.polygons[i].intersects(&p))
            .min()
    }

    pub fn polygon(&self, i: usize) -> &MultiPolygon<f64> {
        &self.polygons[i]
    }

    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }
}

/// A point strictly inside `polygon` close to `p`: the polygon's closest boundary point, moved
/// towards an interior point until it is inside. For a reference point that generalised
/// boundaries left just outside; `p` itself if it is already inside.
pub fn nearest_inside(polygon: &MultiPolygon<f64>, p: (f64, f64)) -> (f64, f64) {
    use geo::{Closest, ClosestPoint, InteriorPoint};
    let pt = Point::new(p.0, p.1);
    if polygon.intersects(&pt) {
        return p;
    }
    let Some(inner) = polygon.interior_point() else {
        return p;
    };
    let edge = match polygon.closest_point(&pt) {
        Closest::Intersection(c) | Closest::SinglePoint(c) => c,
        Closest::Indeterminate => return (inner.x(), inner.y()),
    };
    // About 30 m inward at first, doubling: stays close to the official point.
    let len = ((inner.x() - edge.x()).powi(2) + (inner.y() - edge.y()).powi(2)).sqrt();
    let mut t = if len > 0.0 {
        (0.0003 / len).min(1.0)
    } else {
        1.0
    };
    loop {
        let c = Point::new(
            edge.x() + (inner.x() - edge.x()) * t,
            edge.y() + (inner.y() - edge.y()) * t,
        );
        if polygon.intersects(&c) || t >= 1.0 {
            return (c.x(), c.y());
        }
        t = (t * 2.0).min(1.0);
    }
}

/// Great-ellipse distance between two WGS84 points in km.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0
}

/// Kilometres per degree of latitude (mean); the plane uses it for both axes.
const KM_PER_DEG: f64 = 111.2;
/// The plane's scale error against the ellipsoid stays below this factor for regions up to
/// Germany's extent (latitudes 47–55° around a central parallel); searches widen by it.
const PLANE_SLACK: f64 = 1.12;

/// Facility points indexed for nearest-neighbour and radius queries.
pub struct PointIndex {
    tree: RTree<GeomWithData<[f64; 2], usize>>,
    lonlat: Vec<(f64, f64)>,
    cos_lat0: f64,
}

impl PointIndex {
    /// Indexes points (lon, lat). `lat0` is the central parallel of the region (the plane is
    /// exact there).
    pub fn new(points: Vec<(f64, f64)>, lat0: f64) -> Self {
        let cos_lat0 = lat0.to_radians().cos();
        let items = points
            .iter()
            .enumerate()
            .map(|(i, &(lon, lat))| GeomWithData::new(plane(lon, lat, cos_lat0), i))
            .collect();
        PointIndex {
            tree: RTree::bulk_load(items),
            lonlat: points,
            cos_lat0,
        }
    }

    pub fn len(&self) -> usize {
        self.lonlat.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lonlat.is_empty()
    }

    /// Geodesic distance in km from (lon, lat) to the nearest indexed point; `None` if empty.
    pub fn nearest_km(&self, lon: f64, lat: f64) -> Option<f64> {
        let q = plane(lon, lat, self.cos_lat0);
        let mut best: Option<f64> = None;
        for (item, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let plane_km = d2.sqrt();
            if let Some(b) = best
                && plane_km > b * PLANE_SLACK
            {
                break;
            }
            let d = distance_km((lon, lat), self.lonlat[item.data]);
            best = Some(best.map_or(d, |b: f64| b.min(d)));
        }
        best
    }

    /// Number of indexed points within `radius_km` (geodesic) of (lon, lat).
    pub fn count_within_km(&self, lon: f64, lat: f64, radius_km: f64) -> usize {
        let q = plane(lon, lat, self.cos_lat0);
        let r = radius_km * PLANE_SLACK;
        self.tree
            .locate_within_distance(q, r * r)
            .filter(|item| distance_km((lon, lat), self.lonlat[item.data]) <= radius_km)
            .count()
    }

    /// Indexed points inside a lon/lat rectangle (used for coverage checks).
    pub fn any_in_box(&self, min: (f64, f64), max: (f64, f64)) -> bool {
        let a = plane(min.0, min.1, self.cos_lat0);
        let b = plane(max.0, max.1, self.cos_lat0);
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(a, b))
            .next()
            .is_some()
    }
}

fn plane(lon: f64, lat: f64, cos_lat0: f64) -> [f64; 2] {
    [lon * KM_PER_DEG * cos_lat0, lat * KM_PER_DEG]
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn geodesic_distance_dresden_leipzig() {
        // Dresden Altmarkt to Leipzig Markt: about 100 km as the crow flies.
        let d = distance_km((13.7373, 51.0504), (12.3747, 51.3397));
        assert!((99.0..102.0).contains(&d), "{d}");
    }

    #[test]
    fn nearest_matches_brute_force() {
        let pts: Vec<(f64, f64)> = (0..400)
            .map(|i| {
                (
                    12.0 + (i % 20) as f64 * 0.15 + (i as f64 * 0.37).sin() * 0.05,
                    50.2 + (i / 20) as f64 * 0.07,
                )
            })
            .collect();
        let idx = PointIndex::new(pts.clone(), 51.0);
        for q in [(13.01, 50.77), (12.33, 51.3), (14.9, 51.6), (11.5, 50.0)] {
            let brute = pts
                .iter()
                .map(|&p| distance_km(q, p))
                .fold(f64::INFINITY, f64::min);
            assert!((idx.nearest_km(q.0, q.1).unwrap() - brute).abs() < 1e-9);
            for r in [2.0, 5.0, 10.0] {
                let brute_n = pts.iter().filter(|&&p| distance_km(q, p) <= r).count();
                assert_eq!(idx.count_within_km(q.0, q.1, r), brute_n);
            }
        }
        assert_eq!(PointIndex::new(vec![], 51.0).nearest_km(13.0, 51.0), None);
    }

    #[test]
    fn locates_points_in_polygons() {
        let a = MultiPolygon(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
        ]);
        let b = MultiPolygon(vec![
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)],
        ]);
        let loc = MunicipalityLocator::new(vec![a, b]);
        assert_eq!(loc.locate(0.5, 0.5), Some(0));
        assert_eq!(loc.locate(1.5, 0.5), Some(1));
        assert_eq!(
            loc.locate(1.0, 0.5),
            Some(0),
            "shared border goes to the lower index"
        );
        assert_eq!(loc.locate(3.0, 0.5), None);
    }
}
