"""拟定名单、公示、异议与公告 (SPEC §2 arts. 12–14, §4 "Ranking and decision")."""
