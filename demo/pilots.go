package demo

// Pilot is one pilot of the demo: a real member of the first batch of
// national smart-city pilots, with its GB/T 2260 region code.
type Pilot struct {
	// RegionCode is the 6-digit GB/T 2260 code (a prefecture-level city
	// padded with 00, as in 130100 石家庄市).
	RegionCode string
	// Name is the pilot's name as announced.
	Name string
	// Type is city, district or town.
	Type string
}

// Batch is the batch label of the demo pilots: the first batch, announced
// by MOHURD on 2013-01-29 (90 pilots: 37 cities, 50 districts and counties,
// 3 towns).
const Batch = "2013-1"

// FirstBatch returns a selection of the published first batch of national
// smart-city pilots: only members we are confident of, each checked against
// the region registry by the tests. It is not the complete list of 90 (the
// functional zones without an administrative code, e.g. 北京未来科技城, and
// the members we could not verify are left out). Everything the demo adds
// to these names — submissions, values, levels, narratives, files and
// scores — is fictional.
func FirstBatch() []Pilot {
	return []Pilot{
		{"110101", "北京市东城区", "district"},
		{"110105", "北京市朝阳区", "district"},
		{"130100", "石家庄市", "city"},
		{"130300", "秦皇岛市", "city"},
		{"130400", "邯郸市", "city"},
		{"131000", "廊坊市", "city"},
		{"130283", "迁安市", "city"},
		{"140100", "太原市", "city"},
		{"140400", "长治市", "city"},
		{"150300", "乌海市", "city"},
		{"310115", "上海市浦东新区", "district"},
		{"320200", "无锡市", "city"},
		{"320400", "常州市", "city"},
		{"321100", "镇江市", "city"},
		{"321200", "泰州市", "city"},
		{"330102", "杭州市上城区", "district"},
		{"330211", "宁波市镇海区", "district"},
		{"330300", "温州市", "city"},
		{"330700", "金华市", "city"},
		{"330681", "诸暨市", "city"},
		{"340200", "芜湖市", "city"},
		{"340700", "铜陵市", "city"},
		{"350700", "南平市", "city"},
		{"360300", "萍乡市", "city"},
		{"370500", "东营市", "city"},
		{"371000", "威海市", "city"},
		{"371400", "德州市", "city"},
		{"370982", "新泰市", "city"},
		{"410100", "郑州市", "city"},
		{"410600", "鹤壁市", "city"},
		{"411100", "漯河市", "city"},
		{"420100", "武汉市", "city"},
		{"420102", "武汉市江岸区", "district"},
		{"430200", "株洲市", "city"},
		{"440400", "珠海市", "city"},
		{"440113", "广州市番禺区", "district"},
		{"440310", "深圳市坪山新区", "district"},
		{"440606", "佛山市顺德区", "district"},
		{"450200", "柳州市", "city"},
		{"500108", "重庆市南岸区", "district"},
		{"510115", "成都市温江区", "district"},
		{"511800", "雅安市", "city"},
		{"610400", "咸阳市", "city"},
		{"620100", "兰州市", "city"},
		{"640100", "银川市", "city"},
	}
}

// northern reports whether a province (two-digit code) heats in winter, so
// that indicator 2.2.6 供热系统 applies (the framework's notes: other cities
// treat it as missing).
func northern(province string) bool {
	switch province {
	case "11", "12", "13", "14", "15", "21", "22", "23", "37", "41", "54", "61", "62", "63", "64", "65":
		return true
	}
	return false
}
