using MerchantPortal.Web.Setup;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalLogging();
builder.Services.AddPortalData(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalIdentity(builder.Configuration);
builder.Services.AddPortalJobs(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddPortalApi();
builder.Services.AddPortalLocalization();
builder.Services.AddPortalHealth();
builder.Services.AddPortalUi();
builder.Services.AddPortalFeatures(builder.Configuration);

var app = builder.Build();

await app.PreparePortalAsync();
app.UsePortalPipeline();
app.MapPortalEndpoints();
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
