using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Picking;

public static class WaveEndpoints
{
    /// <param name="WarehouseId">The warehouse the orders ship from, as the candidates name it (null: orders with no warehouse at all).</param>
    /// <param name="CarrierAccountId">The carrier account of the group, as the candidates name it.</param>
    /// <param name="CutOffUtc">Orders approved up to this time (UTC) are in the wave; default now.</param>
    public sealed record StartWaveRequest(int? WarehouseId, [property: Range(1, int.MaxValue)] int CarrierAccountId, DateTime? CutOffUtc);

    public sealed record WavesResponse(DateTime CutOffUtc, IReadOnlyList<WaveCandidate> Candidates, IReadOnlyList<WaveView> Recent);

    public static void Map(RouteGroupBuilder waves)
    {
        waves.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<WavesResponse>().ProducesValidationProblem()
            .WithName("ListWaves")
            .WithSummary("The groups a wave can take up to the cut-off (cutOff, UTC, default now): approved orders with no live waybill and in no batch still issuing, per warehouse and carrier account, with their count; and the recent waves with their batch's progress.");
        waves.MapPost("/", StartAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.WaybillsWrite))
            .Produces<WaveView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("StartWave")
            .WithSummary("Starts a wave (波次): a waybill batch of exactly the group's orders up to the cut-off, and the wave recording it (code such as W20261206-1400-SF-1). 409 when the group has no order waiting (a second start of the same orders finds none).");
        waves.MapGet("/{id:long}", async (long id, WaveService service, CancellationToken ct) =>
                await service.GetAsync(id, ct) is { } wave ? Results.Ok(wave) : Results.NotFound())
            .RequireAuthorization(ApiScopes.Policy(ApiScopes.OrdersRead))
            .Produces<WaveView>().Produces(StatusCodes.Status404NotFound)
            .WithName("GetWave").WithSummary("A wave with its batch's status and progress; the batch's pick list and packing slips are under /waybill-batches/{batchId}.");
    }

    private static async Task<IResult> ListAsync(DateTime? cutOff, WaveService service, TimeProvider clock, CancellationToken ct)
    {
        if (CutOffProblem(cutOff) is { } problem)
        {
            return FieldProblems.Of("cutOff", problem).ToResult();
        }
        var at = Utc(cutOff) ?? clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new WavesResponse(at, await service.CandidatesAsync(at, ct), await service.RecentAsync(20, ct)));
    }

    private static async Task<IResult> StartAsync(StartWaveRequest request, WaveService service, TimeProvider clock, ClaimsPrincipal user, CancellationToken ct)
    {
        if (CutOffProblem(request.CutOffUtc) is { } problem)
        {
            return FieldProblems.Of("cutOffUtc", problem).ToResult();
        }
        var result = await service.StartAsync(request.WarehouseId, request.CarrierAccountId, Utc(request.CutOffUtc) ?? clock.GetUtcNow().UtcDateTime, Actor.OfApiKey(user), ct);
        return result.Outcome switch
        {
            StartWaveOutcome.Started => TypedResults.Created($"/api/v1/waves/{result.Wave!.Id}", result.Wave),
            StartWaveOutcome.NoCarrierAccount => FieldProblems.Of("carrierAccountId", "No enabled carrier account with this id.").ToResult(),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No order waits for this wave",
                detail: "No approved order of this warehouse and carrier account without a waybill up to the cut-off (already in a wave or batch, or none approved)."),
        };
    }

    /// <summary>A cut-off far outside any real one would overflow the Beijing-time arithmetic of the wave code.</summary>
    private static string? CutOffProblem(DateTime? cutOff) => cutOff is { } c && (c.Year < 2000 || c.Year > 2100)
        ? "The cut-off is a time (UTC) between 2000 and 2100."
        : null;

    private static DateTime? Utc(DateTime? value) => value is not { } v ? null
        : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc);
}
