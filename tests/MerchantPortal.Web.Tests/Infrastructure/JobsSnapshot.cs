using System.Globalization;
using System.Text;
using Hangfire;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// What a portal's Hangfire is doing, for a test's failure message: when a job never starts, the message says
/// whether the server was alive, which jobs held its workers and what sat in each queue.
/// </summary>
internal static class JobsSnapshot
{
    public static string Describe(PortalFactory factory)
    {
        try
        {
            var api = factory.GetService<JobStorage>().GetMonitoringApi();
            var text = new StringBuilder();
            foreach (var server in api.Servers())
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  server {server.Name}: {server.WorkersCount} workers, heartbeat {server.Heartbeat:HH:mm:ss}, queues {string.Join(',', server.Queues)}");
            }
            foreach (var queue in api.Queues())
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  queue {queue.Name}: {queue.Length} enqueued, {queue.Fetched} fetched");
            }
            foreach (var (id, job) in api.ProcessingJobs(0, 50))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  processing {id} {job.Job?.Type.Name}.{job.Job?.Method.Name} since {job.StartedAt:HH:mm:ss} on {job.ServerId}");
            }
            foreach (var (id, job) in api.FailedJobs(0, 5))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  failed {id} {job.Job?.Type.Name}.{job.Job?.Method.Name} at {job.FailedAt:HH:mm:ss}: {job.ExceptionType} {job.ExceptionMessage}");
            }
            text.Append(CultureInfo.InvariantCulture, $"\n  succeeded {api.SucceededListCount()}, failed {api.FailedCount()}");
            text.Append(CultureInfo.InvariantCulture, $"\n  now {DateTime.UtcNow:HH:mm:ss}, thread pool {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} pending");
            return text.ToString();
        }
        catch (Exception e)
        {
            return "\n  (jobs snapshot failed: " + e.Message + ")";
        }
    }
}
