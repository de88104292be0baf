using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MerchantPortal.Web.Components.Shared;
using MerchantPortal.Web.Features.Admin.Users;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Features.Kpis;
using MerchantPortal.Web.Features.Kpis.Freight;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Tracking;
using MerchantPortal.Web.Features.Waybills;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// What users read is worded for people in both languages: every .resx in src is read as a file (so a resource that is
/// never embedded is checked too), every status a page shows has words in both languages, and Chinese is punctuated
/// the Chinese way.
/// </summary>
public partial class ResourceWordingTests
{
    private static readonly CultureInfo Chinese = new("zh-CN");

    /// <summary>English resources that must quote Chinese, each with its reason.</summary>
    private static readonly Dictionary<string, string> ChineseAllowedInEnglish = new()
    {
        // The column headers a carrier's bill file really carries: the reader looks for these words in the file.
        ["FreightResources.resx|Bills.Intro"] = "quotes the Chinese column headers of carriers' bill files",
    };

    public static TheoryData<string> ChineseResources() => Files("*.zh-CN.resx");

    public static TheoryData<string> NeutralResources()
    {
        var data = new TheoryData<string>();
        foreach (var file in NeutralFiles())
        {
            data.Add(file);
        }
        return data;
    }

    private static IEnumerable<string> NeutralFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src"), "*.resx", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains(".zh-CN.", StringComparison.Ordinal) && !IsBuildOutput(f))
            .Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(RepoRoot(), f));

    [Fact]
    public void There_are_resources_to_check_in_both_languages()
    {
        Assert.True(ChineseResources().Count >= 15);
        Assert.Equal(ChineseResources().Count, NeutralResources().Count);
    }

    [Theory]
    [MemberData(nameof(ChineseResources))]
    public void Chinese_resources_use_full_width_punctuation_next_to_Chinese(string file)
    {
        var wrong = Values(file)
            .Where(v => HalfWidthNextToChinese().IsMatch(Placeholder().Replace(v.Value, "")))
            .Select(v => $"{v.Key}: {v.Value}").ToList();
        Assert.True(wrong.Count == 0, $"{file}: half-width , : ; ( ) ? ! next to Chinese (use ，：；（）？！):\n{string.Join('\n', wrong)}");
    }

    [Theory]
    [MemberData(nameof(NeutralResources))]
    public void English_resources_carry_no_Chinese(string file)
    {
        var name = Path.GetFileName(file);
        var wrong = Values(file)
            .Where(v => ChineseCharacter().IsMatch(v.Value) && !ChineseAllowedInEnglish.ContainsKey($"{name}|{v.Key}"))
            .Select(v => $"{v.Key}: {v.Value}").ToList();
        Assert.True(wrong.Count == 0, $"{file}: Chinese on an English page:\n{string.Join('\n', wrong)}");
    }

    [Theory]
    [MemberData(nameof(NeutralResources))]
    public void Every_key_of_an_English_resource_is_in_its_Chinese_resource_and_the_other_way_round(string file)
    {
        var chineseFile = file[..^".resx".Length] + ".zh-CN.resx";
        Assert.True(File.Exists(Path.Combine(RepoRoot(), chineseFile)), $"{chineseFile} is missing");
        var english = Values(file).Select(v => v.Key).ToHashSet();
        var chinese = Values(chineseFile).Select(v => v.Key).ToHashSet();
        Assert.Empty(english.Except(chinese));
        Assert.Empty(chinese.Except(english));
    }

    [Fact]
    public void The_allow_list_of_Chinese_in_English_names_only_resources_that_still_quote_Chinese()
    {
        foreach (var entry in ChineseAllowedInEnglish.Keys)
        {
            var (name, key) = (entry.Split('|')[0], entry.Split('|')[1]);
            var file = NeutralFiles().Single(f => Path.GetFileName(f) == name);
            Assert.Matches(ChineseCharacter(), Values(file).Single(v => v.Key == key).Value);
        }
    }

    /// <summary>The enums pages show, each with the resource set and key prefix that words its values.</summary>
    public static TheoryData<Type, Type, string> ShownEnums() => new()
    {
        { typeof(OrderStatus), typeof(OrdersResources), "Status." },
        { typeof(OrderChannel), typeof(OrdersResources), "Channel." },
        { typeof(OrderAction), typeof(OrdersResources), "Action." },
        { typeof(OrderAction), typeof(OrdersResources), "Story.Order." },
        { typeof(ImportStatus), typeof(OrdersResources), "ImportStatus." },
        { typeof(MerchantPortal.Carriers.ShipmentStatus), typeof(TrackingResources), "Status." },
        { typeof(TrackingSource), typeof(TrackingResources), "Source." },
        { typeof(WaybillBatchStatus), typeof(WaybillsResources), "Status." },
        { typeof(WaybillItemStatus), typeof(WaybillsResources), "ItemStatus." },
        { typeof(BatchControl), typeof(WaybillsResources), "Control.Done." },
        { typeof(ReturnStatus), typeof(ReturnsResources), "Status." },
        { typeof(ReturnReason), typeof(ReturnsResources), "Reason." },
        { typeof(ReturnResolution), typeof(ReturnsResources), "Resolution." },
        { typeof(PickupStatus), typeof(ReturnsResources), "PickupStatus." },
        { typeof(RefundStatus), typeof(ReturnsResources), "RefundStatus." },
        { typeof(RefundMethod), typeof(ReturnsResources), "RefundMethod." },
        { typeof(RefundTrigger), typeof(ReturnsResources), "Trigger." },
        { typeof(ExceptionType), typeof(MonitoringResources), "Type." },
        { typeof(ExceptionSeverity), typeof(MonitoringResources), "Severity." },
        { typeof(CaseStatus), typeof(MonitoringResources), "Status." },
        { typeof(CaseNoteKind), typeof(MonitoringResources), "Note." },
        { typeof(CaseNoteKind), typeof(OrdersResources), "Story.Case." },
        { typeof(NotificationChannel), typeof(NotificationsResources), "Channel." },
        { typeof(DeliveryState), typeof(NotificationsResources), "State." },
        { typeof(OutboxStatus), typeof(NotificationsResources), "Outbox." },
        { typeof(WebhookDeliveryStatus), typeof(NotificationsResources), "Delivery." },
        { typeof(NotificationMilestone), typeof(NotificationsResources), "Milestone." },
        { typeof(SmsProviderKind), typeof(NotificationsResources), "Sms.Provider." },
        { typeof(FreightBillStatus), typeof(FreightResources), "Status." },
        { typeof(FreightDiscrepancyKind), typeof(FreightResources), "Kind." },
        { typeof(KpiMetric), typeof(KpisResources), "Metric." },
        { typeof(CarrierEnvironment), typeof(CarrierAccountsResources), "Env." },
        { typeof(UserStatus), typeof(UsersResources), "Status." },
        { typeof(DeliveryStage), typeof(TrackingResources), "Stage." },
        { typeof(LaneLevel), typeof(TrackingResources), "Lane." },
    };

    [Theory]
    [MemberData(nameof(ShownEnums))]
    public void Every_value_of_an_enum_shown_to_users_has_words_in_both_languages(Type shown, Type resources, string prefix)
    {
        var manager = new ResourceManager(resources);
        foreach (var name in Enum.GetNames(shown))
        {
            var english = manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!.GetString(prefix + name);
            var chinese = manager.GetResourceSet(Chinese, true, false)!.GetString(prefix + name);
            Assert.False(string.IsNullOrWhiteSpace(english), $"{resources.Name} has no English words for {prefix}{name}");
            Assert.False(string.IsNullOrWhiteSpace(chinese), $"{resources.Name} has no Chinese words for {prefix}{name}");
            if (PascalWords().Matches(name).Count >= 2)
            {
                Assert.False(english == name, $"{resources.Name} {prefix}{name} reads as the enum's name, not as words");
            }
        }
    }

    [Theory]
    [InlineData(typeof(SharedResources))]
    [InlineData(typeof(UsersResources))]
    public void Every_role_has_words_in_both_languages(Type resources)
    {
        var manager = new ResourceManager(resources);
        foreach (var role in MerchantPortal.Web.Infrastructure.Roles.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!.GetString("Role." + role)), role);
            Assert.Matches(ChineseCharacter(), manager.GetResourceSet(Chinese, true, false)!.GetString("Role." + role) ?? "");
        }
    }

    /// <summary>
    /// The audit page shows each recorded action and object in the reader's words, so every action and entity written
    /// as a literal in a <c>db.Audit(…)</c> call in src has both. Read from the source: the audit log of a test run
    /// only holds what that run happened to do.
    /// </summary>
    [Fact]
    public void Every_audited_action_and_object_has_words_in_both_languages()
    {
        var english = Values(Path.Combine("src", "MerchantPortal.Web", "Features", "Admin", "AdminResources.resx")).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var chinese = Values(Path.Combine("src", "MerchantPortal.Web", "Features", "Admin", "AdminResources.zh-CN.resx")).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src", "MerchantPortal.Web"), "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f) && !f.Contains("Migrations", StringComparison.Ordinal)))
        {
            foreach (Match m in AuditCall().Matches(File.ReadAllText(file)))
            {
                keys.Add("Audit.Action." + m.Groups["action"].Value);
                keys.Add("Audit.Entity." + (m.Groups["entity"].Success ? m.Groups["entity"].Value : m.Groups["nameof"].Value));
            }
        }
        Assert.True(keys.Count > 20, "the audit calls were not found in the source");
        var missing = keys.Where(k => !english.Contains(k) || !chinese.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "Audited without words in AdminResources (en and zh-CN): " + string.Join(", ", missing));
    }

    [GeneratedRegex("""\.Audit\([^,]+,[^,]+,\s*"(?<action>[A-Za-z][A-Za-z.-]*)",\s*(?:"(?<entity>[A-Za-z]+)"|nameof\((?<nameof>[A-Za-z]+)\))""")]
    private static partial Regex AuditCall();

    private static TheoryData<string> Files(string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "src"), pattern, SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoRoot(), file));
        }
        return data;
    }

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static IEnumerable<(string Key, string Value)> Values(string relative) =>
        XDocument.Load(Path.Combine(RepoRoot(), relative)).Root!.Elements("data")
            .Select(d => ((string)d.Attribute("name")!, (string?)d.Element("value") ?? ""));

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MerchantPortal.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("MerchantPortal.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A Chinese character or Chinese (full-width) punctuation.</summary>
    [GeneratedRegex(@"[\u3400-\u9fff]")]
    private static partial Regex ChineseCharacter();

    [GeneratedRegex(@"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef][,:;()?!]|[,:;()?!][\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")]
    private static partial Regex HalfWidthNextToChinese();

    /// <summary>Format placeholders ({0}, {1:N2}) and message-template placeholders ({orderNo}); URLs.</summary>
    [GeneratedRegex(@"\{[^{}]*\}|https?://\S+")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[A-Z][a-z0-9]+")]
    private static partial Regex PascalWords();
}
