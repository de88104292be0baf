// The API reference (/api/docs): Scalar's bundle draws it from the OpenAPI document. A file of its own, not an inline
// script, so the page runs under the portal's content security policy without 'unsafe-inline'.
window.Scalar.createApiReference("#app", {
    sources: [{ title: "MerchantPortal API", url: new URL("/openapi/v1.json", window.location.origin).toString() }],
});
