namespace MerchantPortal.Web.Features.Tracking.Prediction;

/// <summary>The lane statistics behind <see cref="ILaneOutlooks"/>. No history is kept yet: every lane is unknown.</summary>
public sealed class LaneOutlooks : ILaneOutlooks
{
    public Task<LaneOutlook?> ForAsync(string shipperCode, string? serviceType, string? originProvince, string? destinationProvince, CancellationToken ct = default) =>
        Task.FromResult<LaneOutlook?>(null);
}
