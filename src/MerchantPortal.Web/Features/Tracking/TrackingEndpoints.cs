namespace MerchantPortal.Web.Features.Tracking;

public static class TrackingEndpoints
{
    public const string PushPath = "/api/carriers/kdniao/push";

    public static void Map(WebApplication app, RouteGroupBuilder api)
    {
        // Anonymous on purpose: the aggregator authenticates with DataSign (§2.5), checked before anything is stored.
        // It posts a plain form without an antiforgery token.
        app.MapPost(PushPath, async (HttpRequest request, KdniaoPushReceiver receiver, CancellationToken ct) =>
            {
                if (!request.HasFormContentType)
                {
                    return Results.Content(await receiver.ReceiveAsync(null, null, null, ct), "application/json");
                }
                var form = await request.ReadFormAsync(ct);
                var answer = await receiver.ReceiveAsync(form["RequestData"], form["RequestType"], form["DataSign"], ct);
                return Results.Content(answer, "application/json");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        _ = api;
    }
}
