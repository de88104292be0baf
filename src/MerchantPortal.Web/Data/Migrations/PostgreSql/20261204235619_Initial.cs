using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace MerchantPortal.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Scopes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    LastUsedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    RevokedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    PreferredCulture = table.Column<string>(type: "text", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    IsDisabled = table.Column<bool>(type: "boolean", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EntityType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EntityId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Details = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CarrierAccounts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Environment = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CustomBaseUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    EBusinessId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AppKeyProtected = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    AppKeySetAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CustomerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CustomerPwdProtected = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CustomerPwdSetAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    MonthCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SendSite = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SendStaff = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DefaultServiceType = table.Column<int>(type: "integer", nullable: false),
                    DefaultPayType = table.Column<int>(type: "integer", nullable: false),
                    DailyQuota = table.Column<int>(type: "integer", nullable: false),
                    RequestsPerSecond = table.Column<int>(type: "integer", nullable: false),
                    IsDisabled = table.Column<bool>(type: "boolean", nullable: false),
                    IsDefault = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    LastSuccessAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastFailureAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastFailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierAccounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HubAlerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Hub = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OpenHub = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OpenedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    ClosedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastEvaluatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    RecentFromUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    RecentToUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    RecentShipments = table.Column<int>(type: "integer", nullable: false),
                    RecentExceptions = table.Column<int>(type: "integer", nullable: false),
                    BaselineShipments = table.Column<int>(type: "integer", nullable: false),
                    BaselineExceptions = table.Column<int>(type: "integer", nullable: false),
                    Z = table.Column<double>(type: "double precision", nullable: false),
                    PeakZ = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HubAlerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClientId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Completed = table.Column<bool>(type: "boolean", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Location = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Body = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KpiDaily",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Span = table.Column<int>(type: "integer", nullable: false, defaultValue: 1),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ServiceType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    WarehouseId = table.Column<int>(type: "integer", nullable: false),
                    OriginProvince = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DestinationProvince = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Final = table.Column<int>(type: "integer", nullable: false),
                    Delivered = table.Column<int>(type: "integer", nullable: false),
                    WithPromise = table.Column<int>(type: "integer", nullable: false),
                    OnTime = table.Column<int>(type: "integer", nullable: false),
                    FirstAttempt = table.Column<int>(type: "integer", nullable: false),
                    Exceptions = table.Column<int>(type: "integer", nullable: false),
                    Returned = table.Column<int>(type: "integer", nullable: false),
                    TransitCount = table.Column<int>(type: "integer", nullable: false),
                    TransitHoursSum = table.Column<double>(type: "double precision", nullable: false),
                    TransitHistogram = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiDaily", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KpiRollupState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    WatermarkFinalAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    WatermarkShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    LastReverseShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    RebuiltAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiRollupState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MonitoringRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    OriginProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    DestinationProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ThresholdHours = table.Column<int>(type: "integer", nullable: false),
                    Severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DueWithinHours = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    IsBuiltIn = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationDeliveryLog",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OutboxId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Recipient = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Body = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OrderId = table.Column<long>(type: "bigint", nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StateAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    StateDetail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationDeliveryLog", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationOptOuts",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationOptOuts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NotificationTemplates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Milestone = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Culture = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    QuietHours = table.Column<string>(type: "character varying(11)", maxLength: 11, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationTemplates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OrderImports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    StoredPath = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    FileSize = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Encoding = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ProcessedRows = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: false),
                    ImportedOrders = table.Column<int>(type: "integer", nullable: false),
                    ImportedLines = table.Column<int>(type: "integer", nullable: false),
                    RejectedRows = table.Column<int>(type: "integer", nullable: false),
                    ExistingRows = table.Column<int>(type: "integer", nullable: false),
                    ProgressPercent = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LeaseUntilUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    Failure = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PortalSettings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalSettings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "SavedOrderViews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Query = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedOrderViews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SlaRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OriginProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DestinationProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PromisedDays = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SlaRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookSubscriptions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    EventTypes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    SecretProtected = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PreviousSecretProtected = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PreviousSecretUntilUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookSubscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderKey = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LoginProvider = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CarrierCallStats",
                columns: table => new
                {
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    HourUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Calls = table.Column<int>(type: "integer", nullable: false),
                    Failures = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CarrierCallStats", x => new { x.CarrierAccountId, x.HourUtc });
                    table.ForeignKey(
                        name: "FK_CarrierCallStats_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightBills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    StoredPath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PeriodFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    PeriodTo = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProgressPercent = table.Column<int>(type: "integer", nullable: false),
                    TotalRows = table.Column<int>(type: "integer", nullable: false),
                    ValidRows = table.Column<int>(type: "integer", nullable: false),
                    ErrorRows = table.Column<int>(type: "integer", nullable: false),
                    BilledAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    ExpectedAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    DiscrepancyCount = table.Column<int>(type: "integer", nullable: false),
                    DiscrepancyAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    AmountTolerance = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Failure = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBills_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FreightRateCards",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    DestinationProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FirstWeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    FirstPrice = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    AdditionalPerKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightRateCards", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightRateCards_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Warehouses",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Province = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    City = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContactName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ContactPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DefaultCarrierAccountId = table.Column<int>(type: "integer", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Warehouses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Warehouses_CarrierAccounts_DefaultCarrierAccountId",
                        column: x => x.DefaultCarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "WaybillBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    ServiceType = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    RunnerToken = table.Column<Guid>(type: "uuid", nullable: true),
                    LeaseUntilUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WaybillBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WaybillBatches_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OrderImportErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ImportId = table.Column<long>(type: "bigint", nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: false),
                    Column = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Reason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    OrderNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderImportErrors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderImportErrors_OrderImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "OrderImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SubscriptionId = table.Column<int>(type: "integer", nullable: false),
                    OutboxId = table.Column<long>(type: "bigint", nullable: false),
                    EventType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    DeliveredAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookDeliveries_WebhookSubscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "WebhookSubscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightBillErrors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BillId = table.Column<long>(type: "bigint", nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: false),
                    Column = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Reason = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBillErrors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBillErrors_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightBillLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BillId = table.Column<long>(type: "bigint", nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: false),
                    TrackingNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BilledWeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightBillLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightBillLines_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FreightDiscrepancies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BillId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    TrackingNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: true),
                    BilledWeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    OurWeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    BilledAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    ExpectedAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: true),
                    Difference = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    DestinationProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FreightDiscrepancies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FreightDiscrepancies_FreightBills_BillId",
                        column: x => x.BillId,
                        principalTable: "FreightBills",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    BuyerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ReceiverName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ReceiverPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    PhoneLast4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Province = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    City = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    AddressDetail = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Postcode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    CustomerEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    CustomerCulture = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    WarehouseId = table.Column<int>(type: "integer", nullable: true),
                    CarrierCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    TrackingNo = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    HasOpenException = table.Column<bool>(type: "boolean", nullable: false),
                    TotalAmount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    TotalWeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    PaidAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Tags = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Remark = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    ImportId = table.Column<long>(type: "bigint", nullable: true),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ReshipOfOrderId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Orders_Orders_ReshipOfOrderId",
                        column: x => x.ReshipOfOrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Orders_Warehouses_WarehouseId",
                        column: x => x.WarehouseId,
                        principalTable: "Warehouses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OrderHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Action = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    FromStatus = table.Column<int>(type: "integer", nullable: true),
                    ToStatus = table.Column<int>(type: "integer", nullable: true),
                    Details = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderHistory_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    LineNo = table.Column<int>(type: "integer", nullable: false),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    WeightKg = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLines_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Shipments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderId = table.Column<long>(type: "bigint", nullable: true),
                    Direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TrackingNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    RawState = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    RawStateEx = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Location = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LastEventAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastCheckedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    NextCheckAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastSource = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    SubscribedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    SubscribeAttemptedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    EstimatedDeliveryUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    ReturnId = table.Column<long>(type: "bigint", nullable: true),
                    ServiceType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    WarehouseId = table.Column<int>(type: "integer", nullable: true),
                    OriginProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    DestinationProvince = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    FirstScanAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    OutForDeliveryAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    DeliveredAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    FinalAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    StatusChangedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    PromisedByUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    DeliveryAttempts = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Shipments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Shipments_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Shipments_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WaybillBatchItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BatchId = table.Column<long>(type: "bigint", nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    OrderNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    WaybillId = table.Column<long>(type: "bigint", nullable: true),
                    TrackingNo = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ErrorCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WaybillBatchItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WaybillBatchItems_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WaybillBatchItems_WaybillBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "WaybillBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Waybills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    LiveOrderId = table.Column<long>(type: "bigint", nullable: true),
                    OrderNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BatchId = table.Column<long>(type: "bigint", nullable: true),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TrackingNo = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OrderCode = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    MarkDestination = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SortingCode = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ServiceType = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    WarehouseId = table.Column<int>(type: "integer", nullable: true),
                    PickKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LabelJson = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    VoidedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    VoidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Waybills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Waybills_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Waybills_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Returns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RmaNo = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ReasonText = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Resolution = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ContactEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Amount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: true),
                    PickedUpAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    ReceivedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    RefundedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    PickupNoShowAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Returns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Returns_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Returns_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TrackingEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: false),
                    TimeUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Location = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RawAction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Status = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Source = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    DedupeKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DatedInFuture = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrackingEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TrackingEvents_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExceptionCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: true),
                    OrderId = table.Column<long>(type: "bigint", nullable: true),
                    ReturnId = table.Column<long>(type: "bigint", nullable: true),
                    TrackingNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Severity = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RuleId = table.Column<int>(type: "integer", nullable: true),
                    TriggerAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    OpenedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    DueAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    AssignedTo = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ResolvedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Resolution = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ReshipRequested = table.Column<bool>(type: "boolean", nullable: false),
                    ReturnRequested = table.Column<bool>(type: "boolean", nullable: false),
                    ReshipOrderId = table.Column<long>(type: "bigint", nullable: true),
                    StartedReturnId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Orders_ReshipOrderId",
                        column: x => x.ReshipOrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Returns_StartedReturnId",
                        column: x => x.StartedReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExceptionCases_Shipments_ShipmentId",
                        column: x => x.ShipmentId,
                        principalTable: "Shipments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Pickups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReturnId = table.Column<long>(type: "bigint", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    OrderCode = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    CarrierAccountId = table.Column<int>(type: "integer", nullable: false),
                    ShipperCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    WindowStartUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    WindowEndUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    ContactName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContactPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Province = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    City = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    District = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    PickupCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    TrackingNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CourierName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    CourierPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    BookedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    CollectedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Pickups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Pickups_CarrierAccounts_CarrierAccountId",
                        column: x => x.CarrierAccountId,
                        principalTable: "CarrierAccounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Pickups_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Refunds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReturnId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false),
                    Status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    ExchangeOrderNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Method = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    OutRefundNo = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Refunds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Refunds_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReturnLines",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReturnId = table.Column<long>(type: "bigint", nullable: false),
                    OrderLineId = table.Column<long>(type: "bigint", nullable: false),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    UnitPrice = table.Column<decimal>(type: "numeric(18,4)", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReturnLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReturnLines_OrderLines_OrderLineId",
                        column: x => x.OrderLineId,
                        principalTable: "OrderLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReturnLines_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReturnPhotos",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ReturnId = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SizeBytes = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    UploadedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UploadedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReturnPhotos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReturnPhotos_Returns_ReturnId",
                        column: x => x.ReturnId,
                        principalTable: "Returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExceptionCaseNotes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExceptionCaseNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExceptionCaseNotes_ExceptionCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "ExceptionCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NotificationOutbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Milestone = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    EventType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: true),
                    ShipmentId = table.Column<long>(type: "bigint", nullable: true),
                    ReturnId = table.Column<long>(type: "bigint", nullable: true),
                    CaseId = table.Column<long>(type: "bigint", nullable: true),
                    PayloadJson = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationOutbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NotificationOutbox_ExceptionCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "ExceptionCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.InsertData(
                table: "MonitoringRules",
                columns: new[] { "Id", "DestinationProvince", "DueWithinHours", "Enabled", "IsBuiltIn", "OriginProvince", "Severity", "ShipperCode", "ThresholdHours", "Type", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 1, null, 24, true, true, null, "Medium", null, 24, "NoFirstScan", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 2, null, 24, true, true, null, "Medium", null, 48, "NoUpdate", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 3, null, 8, true, true, null, "Medium", null, 12, "OutForDeliveryStalled", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 4, null, 8, true, true, null, "High", null, 0, "FailedDelivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 5, null, 8, true, true, null, "High", null, 0, "Rejected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 6, null, 24, true, true, null, "Low", null, 48, "LockerNotCollected", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 7, null, 24, true, true, null, "Medium", null, 0, "ReturningToSender", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 8, null, 8, true, true, null, "High", null, 0, "PromisedDateMissed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 9, null, 8, true, true, null, "Medium", null, 0, "PickupNoShow", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 10, null, 8, true, true, null, "High", null, 0, "RefundFailed", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.InsertData(
                table: "NotificationTemplates",
                columns: new[] { "Id", "Body", "Culture", "Enabled", "Milestone", "QuietHours", "Subject", "UpdatedAtUtc" },
                values: new object[,]
                {
                    { 1, "您的订单{orderNo}已发货,{carrier}运单号{trackingNo},查询:{trackingUrl}", "zh-CN", true, "Shipped", null, "您的订单已发货", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 2, "Your order {orderNo} has shipped with {carrier}, tracking number {trackingNo}: {trackingUrl}", "en", true, "Shipped", null, "Your order has shipped", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 3, "您的包裹{trackingNo}正在派送中,请保持电话畅通。", "zh-CN", true, "OutForDelivery", null, "您的包裹正在派送", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 4, "Your parcel {trackingNo} is out for delivery today.", "en", true, "OutForDelivery", null, "Out for delivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 5, "您的订单{orderNo}(运单号{trackingNo})已签收,感谢您的购买。", "zh-CN", true, "Delivered", null, "您的包裹已签收", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 6, "Your order {orderNo} (tracking number {trackingNo}) has been delivered. Thank you.", "en", true, "Delivered", null, "Delivered", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 7, "您的包裹{trackingNo}配送遇到问题,我们正在处理,如有疑问请联系客服。", "zh-CN", true, "Exception", null, "您的包裹配送遇到问题", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 8, "Your parcel {trackingNo} has a delivery problem; we are on it and will keep you posted.", "en", true, "Exception", null, "A problem with your delivery", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 9, "您的退货已预约上门取件,时间{window},取件码{pickupCode}。", "zh-CN", true, "PickupBooked", null, "上门取件已预约", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 10, "Your return pickup is booked for {window}; pickup code {pickupCode}.", "en", true, "PickupBooked", null, "Pickup booked", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 11, "您的退货包裹已被快递取走,运单号{trackingNo}。", "zh-CN", true, "PickedUp", null, "退货已取件", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 12, "Your return parcel was picked up, tracking number {trackingNo}.", "en", true, "PickedUp", null, "Return picked up", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 13, "您的订单{orderNo}退款{amount}已处理。", "zh-CN", true, "Refunded", null, "退款已处理", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) },
                    { 14, "Your refund of {amount} for order {orderNo} has been issued.", "en", true, "Refunded", null, "Refund issued", new DateTime(2026, 11, 28, 0, 0, 0, 0, DateTimeKind.Utc) }
                });

            migrationBuilder.InsertData(
                table: "Warehouses",
                columns: new[] { "Id", "Active", "Address", "City", "Code", "ContactName", "ContactPhone", "DefaultCarrierAccountId", "District", "Name", "Province" },
                values: new object[,]
                {
                    { 1, true, "仓前街道文一西路 1818 号 3 号仓库", "杭州市", "HZ01", "王店长", "057188886666", null, "余杭区", "杭州仓 Hangzhou DC", "浙江省" },
                    { 2, true, "太和镇物流园 B 区 12 栋", "广州市", "GZ01", "李主管", "02066668888", null, "白云区", "广州仓 Guangzhou DC", "广东省" },
                    { 3, true, "亦庄经济开发区科创十三街 20 号", "北京市", "BJ01", "赵经理", "01088889999", null, "大兴区", "北京仓 Beijing DC", "北京市" }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Prefix",
                table: "ApiKeys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditLog_AtUtc",
                table: "AuditLog",
                column: "AtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_CarrierAccounts_Name",
                table: "CarrierAccounts",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCaseNotes_CaseId",
                table: "ExceptionCaseNotes",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_OrderId",
                table: "ExceptionCases",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ReshipOrderId",
                table: "ExceptionCases",
                column: "ReshipOrderId",
                unique: true,
                filter: "\"ReshipOrderId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ReturnId_Type_TriggerAtUtc",
                table: "ExceptionCases",
                columns: new[] { "ReturnId", "Type", "TriggerAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_ShipmentId_Type_TriggerAtUtc",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type", "TriggerAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_StartedReturnId",
                table: "ExceptionCases",
                column: "StartedReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_ExceptionCases_Status_Type",
                table: "ExceptionCases",
                columns: new[] { "Status", "Type" });

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_Open",
                table: "ExceptionCases",
                columns: new[] { "ShipmentId", "Type" },
                unique: true,
                filter: "\"Status\" <> 'Resolved' AND \"ShipmentId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "UX_ExceptionCases_OpenReturn",
                table: "ExceptionCases",
                columns: new[] { "ReturnId", "Type" },
                unique: true,
                filter: "\"Status\" <> 'Resolved' AND \"ReturnId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillErrors_BillId_Row",
                table: "FreightBillErrors",
                columns: new[] { "BillId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillLines_BillId_Row",
                table: "FreightBillLines",
                columns: new[] { "BillId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightBillLines_TrackingNo",
                table: "FreightBillLines",
                column: "TrackingNo");

            migrationBuilder.CreateIndex(
                name: "IX_FreightBills_CarrierAccountId_CreatedAtUtc",
                table: "FreightBills",
                columns: new[] { "CarrierAccountId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightDiscrepancies_BillId_Kind",
                table: "FreightDiscrepancies",
                columns: new[] { "BillId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_FreightRateCards_CarrierAccountId_DestinationProvince",
                table: "FreightRateCards",
                columns: new[] { "CarrierAccountId", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HubAlerts_OpenedAtUtc",
                table: "HubAlerts",
                column: "OpenedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_HubAlerts_OpenHub",
                table: "HubAlerts",
                column: "OpenHub",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_ClientId_Key",
                table: "IdempotencyRecords",
                columns: new[] { "ClientId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAtUtc",
                table: "IdempotencyRecords",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Span_Day_ShipperCode_ServiceType_WarehouseId_Origi~",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KpiDaily_Trend",
                table: "KpiDaily",
                columns: new[] { "Span", "Day", "ShipperCode", "ServiceType", "WarehouseId", "OriginProvince", "DestinationProvince", "Final", "Delivered", "WithPromise", "OnTime", "FirstAttempt", "Exceptions", "Returned", "TransitCount", "TransitHoursSum" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_OutboxId_Channel",
                table: "NotificationDeliveryLog",
                columns: new[] { "OutboxId", "Channel" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_Provider_ProviderMessageId",
                table: "NotificationDeliveryLog",
                columns: new[] { "Provider", "ProviderMessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_SentAtUtc",
                table: "NotificationDeliveryLog",
                column: "SentAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_State_SentAtUtc",
                table: "NotificationDeliveryLog",
                columns: new[] { "State", "SentAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOptOuts_Address",
                table: "NotificationOptOuts",
                column: "Address",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_CaseId",
                table: "NotificationOutbox",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_OrderId",
                table: "NotificationOutbox",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_NotificationOutbox_Status_NextAttemptAtUtc",
                table: "NotificationOutbox",
                columns: new[] { "Status", "NextAttemptAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationTemplates_Milestone_Culture",
                table: "NotificationTemplates",
                columns: new[] { "Milestone", "Culture" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OrderHistory_OrderId_Id",
                table: "OrderHistory",
                columns: new[] { "OrderId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderImportErrors_ImportId_Row",
                table: "OrderImportErrors",
                columns: new[] { "ImportId", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderImports_Status",
                table: "OrderImports",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_OrderLines_OrderId_LineNo",
                table: "OrderLines",
                columns: new[] { "OrderId", "LineNo" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CarrierCode_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "CarrierCode", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Channel_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "Channel", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ImportId",
                table: "Orders",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_OrderNo",
                table: "Orders",
                column: "OrderNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PhoneLast4_ReceiverName",
                table: "Orders",
                columns: new[] { "PhoneLast4", "ReceiverName" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "Province", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReceiverName",
                table: "Orders",
                column: "ReceiverName");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReceiverPhone",
                table: "Orders",
                column: "ReceiverPhone");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReshipOfOrderId",
                table: "Orders",
                column: "ReshipOfOrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "Status", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_TrackingNo",
                table: "Orders",
                column: "TrackingNo");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_WarehouseId_CreatedAtUtc_Id",
                table: "Orders",
                columns: new[] { "WarehouseId", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_CarrierAccountId",
                table: "Pickups",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_OrderCode",
                table: "Pickups",
                column: "OrderCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_ReturnId_Attempt",
                table: "Pickups",
                columns: new[] { "ReturnId", "Attempt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Pickups_Status_WindowEndUtc",
                table: "Pickups",
                columns: new[] { "Status", "WindowEndUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_OutRefundNo",
                table: "Refunds",
                column: "OutRefundNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_ReturnId",
                table: "Refunds",
                column: "ReturnId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Refunds_Status_RequestedAtUtc",
                table: "Refunds",
                columns: new[] { "Status", "RequestedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ReturnLines_OrderLineId",
                table: "ReturnLines",
                column: "OrderLineId");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnLines_ReturnId",
                table: "ReturnLines",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_ReturnPhotos_ReturnId",
                table: "ReturnPhotos",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_CreatedAtUtc_Id",
                table: "Returns",
                columns: new[] { "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Returns_OrderId",
                table: "Returns",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_RmaNo",
                table: "Returns",
                column: "RmaNo",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Returns_ShipmentId",
                table: "Returns",
                column: "ShipmentId");

            migrationBuilder.CreateIndex(
                name: "IX_Returns_Status_CreatedAtUtc_Id",
                table: "Returns",
                columns: new[] { "Status", "CreatedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedOrderViews_UserName_Name",
                table: "SavedOrderViews",
                columns: new[] { "UserName", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_CarrierAccountId",
                table: "Shipments",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_FinalAtUtc_Id",
                table: "Shipments",
                columns: new[] { "FinalAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_NextCheckAtUtc",
                table: "Shipments",
                column: "NextCheckAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_OrderId",
                table: "Shipments",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_ReturnId",
                table: "Shipments",
                column: "ReturnId");

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_ShipperCode_TrackingNo",
                table: "Shipments",
                columns: new[] { "ShipperCode", "TrackingNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_Status_Id",
                table: "Shipments",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Shipments_TrackingNo",
                table: "Shipments",
                column: "TrackingNo");

            migrationBuilder.CreateIndex(
                name: "IX_SlaRules_ShipperCode_OriginProvince_DestinationProvince",
                table: "SlaRules",
                columns: new[] { "ShipperCode", "OriginProvince", "DestinationProvince" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_Hub_Scans",
                table: "TrackingEvents",
                columns: new[] { "TimeUtc", "Location", "Status", "ShipmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_ShipmentId_DedupeKey",
                table: "TrackingEvents",
                columns: new[] { "ShipmentId", "DedupeKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrackingEvents_ShipmentId_TimeUtc",
                table: "TrackingEvents",
                columns: new[] { "ShipmentId", "TimeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Warehouses_Code",
                table: "Warehouses",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Warehouses_DefaultCarrierAccountId",
                table: "Warehouses",
                column: "DefaultCarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_CarrierAccountId",
                table: "WaybillBatches",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_CreatedAtUtc",
                table: "WaybillBatches",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatches_Status_LeaseUntilUtc",
                table: "WaybillBatches",
                columns: new[] { "Status", "LeaseUntilUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_OrderId",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "OrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_BatchId_Status_Id",
                table: "WaybillBatchItems",
                columns: new[] { "BatchId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WaybillBatchItems_OrderId",
                table: "WaybillBatchItems",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_BatchId_PickKey",
                table: "Waybills",
                columns: new[] { "BatchId", "PickKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_CarrierAccountId",
                table: "Waybills",
                column: "CarrierAccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_IssuedAtUtc",
                table: "Waybills",
                column: "IssuedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_LiveOrderId",
                table: "Waybills",
                column: "LiveOrderId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_OrderCode",
                table: "Waybills",
                column: "OrderCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_OrderId_Id",
                table: "Waybills",
                columns: new[] { "OrderId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Waybills_ShipperCode_TrackingNo",
                table: "Waybills",
                columns: new[] { "ShipperCode", "TrackingNo" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_OutboxId_SubscriptionId",
                table: "WebhookDeliveries",
                columns: new[] { "OutboxId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_NextAttemptAtUtc",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "NextAttemptAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_SubscriptionId_Id",
                table: "WebhookDeliveries",
                columns: new[] { "SubscriptionId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AuditLog");

            migrationBuilder.DropTable(
                name: "CarrierCallStats");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "ExceptionCaseNotes");

            migrationBuilder.DropTable(
                name: "FreightBillErrors");

            migrationBuilder.DropTable(
                name: "FreightBillLines");

            migrationBuilder.DropTable(
                name: "FreightDiscrepancies");

            migrationBuilder.DropTable(
                name: "FreightRateCards");

            migrationBuilder.DropTable(
                name: "HubAlerts");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "KpiDaily");

            migrationBuilder.DropTable(
                name: "KpiRollupState");

            migrationBuilder.DropTable(
                name: "MonitoringRules");

            migrationBuilder.DropTable(
                name: "NotificationDeliveryLog");

            migrationBuilder.DropTable(
                name: "NotificationOptOuts");

            migrationBuilder.DropTable(
                name: "NotificationOutbox");

            migrationBuilder.DropTable(
                name: "NotificationTemplates");

            migrationBuilder.DropTable(
                name: "OrderHistory");

            migrationBuilder.DropTable(
                name: "OrderImportErrors");

            migrationBuilder.DropTable(
                name: "Pickups");

            migrationBuilder.DropTable(
                name: "PortalSettings");

            migrationBuilder.DropTable(
                name: "Refunds");

            migrationBuilder.DropTable(
                name: "ReturnLines");

            migrationBuilder.DropTable(
                name: "ReturnPhotos");

            migrationBuilder.DropTable(
                name: "SavedOrderViews");

            migrationBuilder.DropTable(
                name: "SlaRules");

            migrationBuilder.DropTable(
                name: "TrackingEvents");

            migrationBuilder.DropTable(
                name: "WaybillBatchItems");

            migrationBuilder.DropTable(
                name: "Waybills");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "FreightBills");

            migrationBuilder.DropTable(
                name: "ExceptionCases");

            migrationBuilder.DropTable(
                name: "OrderImports");

            migrationBuilder.DropTable(
                name: "OrderLines");

            migrationBuilder.DropTable(
                name: "WaybillBatches");

            migrationBuilder.DropTable(
                name: "WebhookSubscriptions");

            migrationBuilder.DropTable(
                name: "Returns");

            migrationBuilder.DropTable(
                name: "Shipments");

            migrationBuilder.DropTable(
                name: "Orders");

            migrationBuilder.DropTable(
                name: "Warehouses");

            migrationBuilder.DropTable(
                name: "CarrierAccounts");
        }
    }
}
