using MerchantPortal.Web.Data;
using MerchantPortal.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Features.Notifications;

/// <summary>
/// The recurring "notifications:sms-receipts": asks the SMS provider for its delivery receipts (status reports) and moves
/// accepted messages from Sent to Delivered or Failed. Pull rather than push: both providers sign the pull (a push
/// callback carries no signature), and it needs no public URL. Safe twice: only Sent rows move, by provider message id.
/// Tencent: PullSmsSendStatus answers each report once. Alibaba: QuerySendDetails per message still waiting (SendStatus
/// 1 waiting, 2 failed, 3 delivered), for messages of the last <see cref="AliyunLookBack"/>.
/// </summary>
public sealed class SmsReceiptJob(IDbContextFactory<PortalDbContext> dbFactory, SmsProviders providers, AliyunSmsClient aliyun, TencentSmsClient tencent,
    TimeProvider clock, ILogger<SmsReceiptJob> logger)
{
    public static readonly TimeSpan AliyunLookBack = TimeSpan.FromDays(2);

    /// <returns>How many deliveries moved.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var settings = await providers.CurrentAsync(ct);
        return settings.Provider switch
        {
            SmsProviderKind.Tencent => await TencentAsync(settings, ct),
            SmsProviderKind.Aliyun => await AliyunAsync(settings, ct),
            _ => 0,
        };
    }

    private async Task<int> TencentAsync(SmsProviderSettings settings, CancellationToken ct)
    {
        var secret = providers.Unprotect(settings);
        var moved = 0;
        for (var page = 0; page < 50; page++)
        {
            var (answer, reports) = await tencent.PullSmsSendStatusAsync(settings.AccessKeyId!, secret, settings.SdkAppId!, 100, ct);
            if (!answer.Ok)
            {
                logger.LogWarning("Tencent Cloud PullSmsSendStatus refused: {Code} {Message}", answer.Code, answer.Message);
                break;
            }
            foreach (var r in reports)
            {
                moved += await MoveAsync(TencentSmsClient.Provider, r.SerialNo, r.Success, r.Description, ct);
            }
            if (reports.Count < 100)
            {
                break;
            }
        }
        return moved;
    }

    private async Task<int> AliyunAsync(SmsProviderSettings settings, CancellationToken ct)
    {
        var secret = providers.Unprotect(settings);
        var since = clock.GetUtcNow().UtcDateTime - AliyunLookBack;
        List<(string Recipient, string BizId, DateTime SentAtUtc)> waiting;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            waiting = (await db.Set<DeliveryLogEntry>().AsNoTracking()
                .Where(l => l.Provider == AliyunSmsClient.Provider && l.State == DeliveryState.Sent && l.SentAtUtc >= since && l.ProviderMessageId != null)
                .OrderBy(l => l.Id).Take(500).Select(l => new { l.Recipient, l.ProviderMessageId, l.SentAtUtc }).ToListAsync(ct))
                .Select(l => (l.Recipient, l.ProviderMessageId!, l.SentAtUtc)).ToList();
        }
        var moved = 0;
        foreach (var (recipient, bizId, sentAt) in waiting)
        {
            var sendDate = DateOnly.FromDateTime(BusinessCalendar.ToBusinessTime(sentAt));
            var (answer, details) = await aliyun.QuerySendDetailsAsync(settings.AccessKeyId!, secret, SmsNumbers.Domestic(recipient), sendDate, bizId, ct);
            if (!answer.Ok)
            {
                logger.LogWarning("Alibaba Cloud QuerySendDetails refused: {Code} {Message}", answer.Code, answer.Message);
                break;
            }
            if (details.FirstOrDefault(d => d.SendStatus is 2 or 3) is { } done)
            {
                moved += await MoveAsync(AliyunSmsClient.Provider, bizId, done.SendStatus == 3, done.ErrCode, ct);
            }
        }
        return moved;
    }

    private async Task<int> MoveAsync(string provider, string messageId, bool delivered, string? detail, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        detail = detail?.Length > 200 ? detail[..200] : detail;
        return await db.Set<DeliveryLogEntry>()
            .Where(l => l.Provider == provider && l.ProviderMessageId == messageId && l.State == DeliveryState.Sent)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.State, delivered ? DeliveryState.Delivered : DeliveryState.Failed)
                .SetProperty(l => l.StateAtUtc, now).SetProperty(l => l.StateDetail, detail), ct);
    }
}
