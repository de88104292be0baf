using MerchantPortal.Web.Setup;

if (args.Contains("--sandbox-only"))
{
    // The carrier sandbox on its own port, for running it as a separate process (README).
    await MerchantPortal.CarrierSandbox.SandboxHost.RunAsync([.. args.Where(a => a != "--sandbox-only")]);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalLogging();
builder.Services.AddPortalData(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalIdentity(builder.Configuration);
builder.Services.AddPortalJobs(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalApi(builder.Configuration);
builder.Services.AddPortalLocalization();
builder.Services.AddPortalHealth();
builder.Services.AddPortalTelemetry(builder.Configuration);
builder.Services.AddPortalUi();
builder.Services.AddPortalCarriers(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalPaymentSandbox(builder.Configuration);
builder.Services.AddPortalFeatures(builder.Configuration);
builder.Services.AddPortalDemoData(builder.Configuration, builder.Environment);

var app = builder.Build();

await app.PreparePortalAsync();
app.UsePortalPipeline();
app.MapPortalEndpoints();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
