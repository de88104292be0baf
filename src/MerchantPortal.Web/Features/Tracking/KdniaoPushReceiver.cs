using System.Security.Cryptography;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Receives Kdniao pushes (carrier-protocol.md §2.5): the sign is checked with the AppKey of a carrier account that
/// owns the push's EBusinessID before anything is stored (R5), then every waybill of the push is ingested in one batch.
/// The sign proves the sender only: a push moves only parcels subscribed or issued through the accounts whose AppKey
/// signed it; anything else in it is ignored, counted (metric merchantportal.push.ignored_parcels) and logged.
/// </summary>
public sealed class KdniaoPushReceiver(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierSecrets secrets,
    TrackingIngest ingest,
    TimeProvider clock,
    ILogger<KdniaoPushReceiver> logger)
{
    public const string MeterName = "MerchantPortal.Tracking";
    private static readonly System.Diagnostics.Metrics.Meter Meter = new(MeterName);
    private static readonly System.Diagnostics.Metrics.Counter<long> IgnoredCounter =
        Meter.CreateCounter<long>("merchantportal.push.ignored_parcels", description: "Parcels in signed pushes that the signing account may not move");
    /// <returns>The JSON answer §2.5 asks for; Success false makes the aggregator push again later.</returns>
    public async Task<string> ReceiveAsync(string? requestData, string? requestType, string? dataSign, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (string.IsNullOrEmpty(requestData) || !KdniaoPush.TryParse(requestData, out var envelope))
        {
            logger.LogWarning("Push refused: RequestData is not a JSON object");
            return KdniaoPush.Acknowledge("", false, "RequestData is not a JSON object", now);
        }
        var eBusinessId = envelope.EBusinessId ?? "";
        var signers = await SignersAsync(eBusinessId, requestData, dataSign ?? "", ct);
        if (signers.Count == 0)
        {
            logger.LogWarning("Push refused: DataSign does not match any carrier account of EBusinessID {EBusinessId}", eBusinessId);
            return KdniaoPush.Acknowledge(eBusinessId, false, "DataSign is invalid", now);
        }
        if (requestType is not ("101" or "102"))
        {
            // 107 (COD payment status) is not tracking; acknowledged so the aggregator stops sending it.
            logger.LogInformation("Push of RequestType {RequestType} acknowledged without storing", requestType);
            return KdniaoPush.Acknowledge(eBusinessId, true, "", now);
        }
        var snapshots = envelope.Data.Where(d => d.Success).Select(d => d.Snapshot).ToList();
        try
        {
            var result = await ingest.IngestAsync(snapshots, TrackingSource.Push, ct, signers);
            if (result.Foreign.Count > 0)
            {
                // Acknowledged all the same: answering false would only make the aggregator send it again.
                IgnoredCounter.Add(result.Foreign.Count);
                logger.LogWarning("Push from EBusinessID {EBusinessId} named {Count} parcel(s) of other accounts or carriers, ignored, e.g. {TrackingNo}",
                    eBusinessId, result.Foreign.Count, result.Foreign[0]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Answering false makes the aggregator retry; pushes carry the full history, so nothing is lost.
            logger.LogError(ex, "Push from {EBusinessId} could not be stored", eBusinessId);
            return KdniaoPush.Acknowledge(eBusinessId, false, "Temporarily unable to store the push", now);
        }
        return KdniaoPush.Acknowledge(eBusinessId, true, "", now);
    }

    /// <summary>The answer to a push larger than the portal reads (nothing of it was read or stored).</summary>
    public string TooLarge()
    {
        logger.LogWarning("Push refused: larger than the portal accepts");
        return KdniaoPush.Acknowledge("", false, "The push is larger than the portal accepts", clock.GetUtcNow());
    }

    /// <summary>The accounts of this EBusinessID whose AppKey verifies the sign (none = refused).</summary>
    private async Task<HashSet<int>> SignersAsync(string eBusinessId, string requestData, string dataSign, CancellationToken ct)
    {
        var signers = new HashSet<int>();
        if (eBusinessId.Length == 0 || dataSign.Length == 0)
        {
            return signers;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Several accounts (one per carrier) may share one aggregator merchant and thus one AppKey.
        var accounts = await db.Set<CarrierAccount>().AsNoTracking()
            .Where(a => a.EBusinessId == eBusinessId)
            .Select(a => new { a.Id, a.AppKeyProtected })
            .ToListAsync(ct);
        foreach (var account in accounts)
        {
            string appKey;
            try
            {
                appKey = secrets.Unprotect(account.AppKeyProtected);
            }
            catch (CryptographicException ex)
            {
                logger.LogWarning(ex, "An AppKey of EBusinessID {EBusinessId} cannot be decrypted", eBusinessId);
                continue;
            }
            if (KdniaoPush.VerifySign(requestData, dataSign, appKey))
            {
                signers.Add(account.Id);
            }
        }
        return signers;
    }
}
