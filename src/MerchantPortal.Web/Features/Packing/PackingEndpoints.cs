using System.Globalization;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Packing;

public static class PackingEndpoints
{
    /// <param name="Packed">Set when the parcel was packed before: packing it again (replace=true) replaces this record.</param>
    public sealed record PackParcelResponse(string TrackingNo, string OrderNo, string ShipperCode, int ParcelNo, int ParcelCount, int ItemCount,
        IReadOnlyList<PackItem> Items, PackRecordView? Packed);

    /// <param name="Scans">The item codes scanned and accepted at the station (SKU or catalogue barcode), in order.</param>
    /// <param name="WeightKg">The parcel's weight in kg, above 0 and at most 100.</param>
    /// <param name="WeightSource">Typed (default) or Scale.</param>
    /// <param name="RefusedScans">Scans the station refused (wrong item, one too many).</param>
    /// <param name="StartedAtUtc">When the waybill was scanned at the station (default: now).</param>
    /// <param name="Replace">Pack a packed parcel again (the record is replaced and the replacement audited).</param>
    public sealed record PackRequest(
        string? TrackingNo, string? Station, string[]? Scans, decimal WeightKg, PackWeightSource? WeightSource,
        int? RefusedScans, DateTime? StartedAtUtc, bool? Replace);

    public static void Map(RouteGroupBuilder api)
    {
        var pack = api.MapGroup("/pack").WithTags("Packing");
        pack.MapGet("/throughput", ThroughputAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<PackThroughput>().ProducesValidationProblem()
            .WithName("GetPackThroughput")
            .WithSummary("Parcels packed per station per hour (Beijing time) on a Beijing day: day=yyyy-MM-dd, default today. hours has 24 counts, 0:00 to 23:00.");
        pack.MapGet("/{trackingNo}", OpenAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<PackParcelResponse>().Produces(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("GetPackParcel")
            .WithSummary("A waybill's parcel as the packing station verifies it: each item (SKU, name, quantity) and the codes a scan of it may carry (the SKU and its catalogue barcode). A split parcel has its own lines, a merged parcel every merged order's. packed is set when it was packed before. 404: no waybill has the number; 409: the waybill is voided.");
        pack.MapPost("/", PackAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<PackRecordView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict).Produces(StatusCodes.Status404NotFound)
            .WithName("PackParcel")
            .WithSummary("Records a parcel as packed (扫描验货) with its weight: the scans are replayed against the parcel, and only when every item is verified is the record stored (201). 422 names the wrong, extra or missing item; 409: voided, or packed before (send replace=true to pack it again).");
    }

    private static async Task<IResult> OpenAsync(string trackingNo, PackingService service, CancellationToken ct)
    {
        var opened = await service.OpenAsync(trackingNo, ct);
        return opened.Outcome switch
        {
            PackOpenOutcome.NotFound => TypedResults.NotFound(),
            PackOpenOutcome.Voided => Voided(),
            _ => TypedResults.Ok(Response(opened.Parcel!, opened.Packed)),
        };
    }

    private static PackParcelResponse Response(PackParcel p, PackRecordView? packed) =>
        new(p.TrackingNo, p.OrderNo, p.ShipperCode, p.ParcelNo, p.ParcelCount, p.ItemCount, p.Items, packed);

    private static IResult Voided() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Waybill voided",
        detail: "This waybill was voided: the parcel must not ship with this label. Print the order's new label.");

    private static async Task<IResult> PackAsync(PackRequest request, PackingService service, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await service.PackAsync(new PackInput(request.TrackingNo, request.Station, request.Scans, request.WeightKg,
            request.WeightSource ?? PackWeightSource.Typed, request.RefusedScans ?? 0, request.StartedAtUtc, request.Replace ?? false), Actor.OfApiKey(user), ct);
        return result.Outcome switch
        {
            PackOutcome.Packed => TypedResults.Created($"/api/v1/pack/{Uri.EscapeDataString(result.Record!.TrackingNo)}", result.Record),
            PackOutcome.Invalid => result.Problems!.ToResult(),
            PackOutcome.NotVerified => result.Problems!.ToResult(StatusCodes.Status422UnprocessableEntity, "The parcel is not verified"),
            PackOutcome.NotFound => TypedResults.NotFound(),
            PackOutcome.Voided => Voided(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already packed",
                detail: $"This parcel was packed at {result.Record?.Station} ({result.Record?.WeightKg.ToString("0.###", CultureInfo.InvariantCulture)} kg). Send replace=true to pack it again."),
        };
    }

    private static async Task<IResult> ThroughputAsync(string? day, PackingService service, CancellationToken ct)
    {
        DateOnly? date = null;
        if (!string.IsNullOrEmpty(day))
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return FieldProblems.Of("day", "day is a date, yyyy-MM-dd.").ToResult();
            }
            date = parsed;
        }
        return TypedResults.Ok(await service.ThroughputAsync(date, ct));
    }
}
