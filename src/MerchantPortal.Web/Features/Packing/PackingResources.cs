namespace MerchantPortal.Web.Features.Packing;

public sealed class PackingResources;
