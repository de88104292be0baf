using System.Security.Cryptography;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.CarrierAccounts;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Tracking;

/// <summary>
/// Receives Kdniao pushes (carrier-protocol.md §2.5): the sign is checked with the AppKey of a carrier account that
/// owns the push's EBusinessID before anything is stored (R5), then every waybill of the push is ingested in one batch.
/// </summary>
public sealed class KdniaoPushReceiver(
    IDbContextFactory<PortalDbContext> dbFactory,
    CarrierSecrets secrets,
    TrackingIngest ingest,
    TimeProvider clock,
    ILogger<KdniaoPushReceiver> logger)
{
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
        if (!await SignIsValidAsync(eBusinessId, requestData, dataSign ?? "", ct))
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
            await ingest.IngestAsync(snapshots, TrackingSource.Push, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Answering false makes the aggregator retry; pushes carry the full history, so nothing is lost.
            logger.LogError(ex, "Push from {EBusinessId} could not be stored", eBusinessId);
            return KdniaoPush.Acknowledge(eBusinessId, false, "Temporarily unable to store the push", now);
        }
        return KdniaoPush.Acknowledge(eBusinessId, true, "", now);
    }

    private async Task<bool> SignIsValidAsync(string eBusinessId, string requestData, string dataSign, CancellationToken ct)
    {
        if (eBusinessId.Length == 0 || dataSign.Length == 0)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Several accounts (one per carrier) may share one aggregator merchant and thus one AppKey.
        var protectedKeys = await db.Set<CarrierAccount>().AsNoTracking()
            .Where(a => a.EBusinessId == eBusinessId)
            .Select(a => a.AppKeyProtected)
            .ToListAsync(ct);
        foreach (var protectedKey in protectedKeys)
        {
            string appKey;
            try
            {
                appKey = secrets.Unprotect(protectedKey);
            }
            catch (CryptographicException ex)
            {
                logger.LogWarning(ex, "An AppKey of EBusinessID {EBusinessId} cannot be decrypted", eBusinessId);
                continue;
            }
            if (KdniaoPush.VerifySign(requestData, dataSign, appKey))
            {
                return true;
            }
        }
        return false;
    }
}
