// Shelf labels: product names as URL-safe slugs. Only the label tests use this module.
export function slugify(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
