namespace MerchantPortal.Web.Features.Tracking;

public sealed class TrackingResources;
