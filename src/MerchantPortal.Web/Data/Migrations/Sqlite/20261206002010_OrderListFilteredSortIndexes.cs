using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderListFilteredSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_CarrierCode_Id",
                table: "Orders",
                columns: new[] { "Province", "CarrierCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_PaidAtUtc_Id",
                table: "Orders",
                columns: new[] { "Province", "PaidAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Province_Status_Id",
                table: "Orders",
                columns: new[] { "Province", "Status", "Id" });

            // The amount as the sort reads it on SQLite (CAST(TotalAmount AS REAL); OrderListSortIndexes says why).
            migrationBuilder.Sql("CREATE INDEX \"IX_Orders_Province_TotalAmount_Id\" ON \"Orders\" (\"Province\", CAST(\"TotalAmount\" AS REAL), \"Id\");");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_CarrierCode_Id",
                table: "Orders",
                columns: new[] { "Status", "CarrierCode", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_PaidAtUtc_Id",
                table: "Orders",
                columns: new[] { "Status", "PaidAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_Province_Id",
                table: "Orders",
                columns: new[] { "Status", "Province", "Id" });

            // The amount as the sort reads it on SQLite (CAST(TotalAmount AS REAL); OrderListSortIndexes says why).
            migrationBuilder.Sql("CREATE INDEX \"IX_Orders_Status_TotalAmount_Id\" ON \"Orders\" (\"Status\", CAST(\"TotalAmount\" AS REAL), \"Id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_CarrierCode_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_PaidAtUtc_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_Status_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Province_TotalAmount_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_CarrierCode_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_PaidAtUtc_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_Province_Id",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_TotalAmount_Id",
                table: "Orders");
        }
    }
}
