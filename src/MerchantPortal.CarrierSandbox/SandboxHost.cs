using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace MerchantPortal.CarrierSandbox;

/// <summary>Runs the sandbox alone in its own process (the portal's <c>--sandbox-only</c> switch).</summary>
public static class SandboxHost
{
    public const string DefaultUrl = "http://127.0.0.1:5290";

    /// <summary>Until the process is asked to stop (Ctrl+C / SIGTERM). URL from <c>--urls</c>, default <see cref="DefaultUrl"/>.</summary>
    public static Task RunAsync(string[] args) => RunAsync(args, CancellationToken.None);

    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(args);
        // "urls" also carries ASPNETCORE_URLS; only fall back to the default when neither was given.
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddKdniaoSandbox(builder.Configuration.GetSection("CarrierSandbox"));
        await using var app = builder.Build();
        app.MapKdniaoSandbox();
        await app.StartAsync(cancellationToken);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }

        await app.StopAsync(CancellationToken.None);
    }
}
