using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Waybills : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WaybillBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    CarrierAccountId = table.Column<int>(type: "int", nullable: false),
                    ServiceType = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(24)", maxLength: 24, nullable: false),
                    Source = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    Total = table.Column<int>(type: "int", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    RunnerToken = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    LeaseUntilUtc = table.Column<DateTime>(type: "datetime2", nullable: true)
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
                name: "Waybills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    LiveOrderId = table.Column<long>(type: "bigint", nullable: true),
                    OrderNo = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    BatchId = table.Column<long>(type: "bigint", nullable: true),
                    CarrierAccountId = table.Column<int>(type: "int", nullable: false),
                    ShipperCode = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    TrackingNo = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OrderCode = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    MarkDestination = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    SortingCode = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ServiceType = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    WarehouseId = table.Column<int>(type: "int", nullable: true),
                    PickKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    LabelJson = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    IssuedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    VoidedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    VoidedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
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
                name: "WaybillBatchItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    BatchId = table.Column<long>(type: "bigint", nullable: false),
                    OrderId = table.Column<long>(type: "bigint", nullable: false),
                    OrderNo = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    WaybillId = table.Column<long>(type: "bigint", nullable: true),
                    TrackingNo = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    ErrorCode = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    Error = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
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
                unique: true,
                filter: "[LiveOrderId] IS NOT NULL");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WaybillBatchItems");

            migrationBuilder.DropTable(
                name: "Waybills");

            migrationBuilder.DropTable(
                name: "WaybillBatches");
        }
    }
}
